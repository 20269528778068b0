"""The one way templates show dates: `{{ value|clinic_date }}`, `{{ value|clinic_datetime }}`,
`{{ value|clinic_time }}` (a time under a date heading).

Loaded as a template builtin (settings.TEMPLATES), so every page and PDF uses it
without `{% load %}`. `|html_datetime` fills `<time datetime="...">`.
"""

from django import template

from attachment_app import dates

register = template.Library()

register.filter("clinic_date", dates.format_date)
register.filter("clinic_datetime", dates.format_datetime)
register.filter("clinic_time", dates.format_time)
register.filter("clinic_weekday", dates.format_weekday)
register.filter("html_datetime", dates.html_datetime)
