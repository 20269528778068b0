"""The clinic's settings page: the clinic admins change their clinic's rules here.

forms.py says each field's range and groups them into sections; services.py saves a
change and writes one audit row per changed field (old and new value); views.py is the
page. Consent documents (clients) are edited on pages linked from this one.
"""
