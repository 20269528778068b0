"""Appointments, series and rooms. On PostgreSQL, exclusion constraints refuse two
overlapping appointments that hold a slot (scheduled, attended, no-show) for the same
clinician or the same room, whatever the timing of the requests (btree_gist lets an
equality on the id share one GiST index with the time-range overlap)."""

import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models


HOLDS_SLOT = "status IN ('scheduled', 'attended', 'no_show')"
CREATE = f"""
ALTER TABLE clients_appointment ADD CONSTRAINT appt_clinician_no_overlap
    EXCLUDE USING gist (clinician_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE ({HOLDS_SLOT});
ALTER TABLE clients_appointment ADD CONSTRAINT appt_room_no_overlap
    EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE ({HOLDS_SLOT} AND room_id IS NOT NULL);
"""
DROP = """
ALTER TABLE clients_appointment DROP CONSTRAINT IF EXISTS appt_clinician_no_overlap;
ALTER TABLE clients_appointment DROP CONSTRAINT IF EXISTS appt_room_no_overlap;
"""


def exclusion_forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def exclusion_backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('attachment_app', '0012_clinic_late_cancel_window'),
        ('clients', '0016_client_last_session_date'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.CreateModel(
            name='Room',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80)),
                ('is_active', models.BooleanField(default=True)),
                ('clinic', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rooms', to='attachment_app.clinic')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='AppointmentSeries',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('rrule', models.CharField(help_text='RFC 5545 RRULE, without DTSTART.', max_length=200)),
                ('frequency', models.CharField(choices=[('weekly', 'Every week'), ('fortnightly', 'Every other week'), ('monthly', 'Every month (same date)')], max_length=12)),
                ('first_date', models.DateField()),
                ('local_time', models.TimeField()),
                ('time_zone', models.CharField(max_length=64)),
                ('until', models.DateField(blank=True, null=True)),
                ('length_minutes', models.PositiveSmallIntegerField(default=50, validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(480)])),
                ('kind', models.CharField(choices=[('intake', 'Intake'), ('session', 'Session'), ('review', 'Review')], default='session', max_length=8)),
                ('materialized_until', models.DateField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointment_series', to='clients.client')),
                ('clinician', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointment_series', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('split_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='clients.appointmentseries')),
                ('room', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clients.room')),
            ],
            options={
                'verbose_name_plural': 'appointment series',
            },
        ),
        migrations.CreateModel(
            name='Appointment',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('starts_at', models.DateTimeField()),
                ('ends_at', models.DateTimeField(editable=False)),
                ('length_minutes', models.PositiveSmallIntegerField(default=50, validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(480)])),
                ('kind', models.CharField(choices=[('intake', 'Intake'), ('session', 'Session'), ('review', 'Review')], default='session', max_length=8)),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('attended', 'Attended'), ('client_cancel', 'Cancelled by client'), ('clinician_cancel', 'Cancelled by clinician'), ('late_cancel', 'Late cancellation'), ('no_show', 'No-show')], default='scheduled', max_length=16)),
                ('status_changed_at', models.DateTimeField(blank=True, null=True)),
                ('occurrence_of', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='clients.client')),
                ('clinician', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('session', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='appointment', to='clients.therapysession')),
                ('series', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='appointments', to='clients.appointmentseries')),
                ('room', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='clients.room')),
            ],
            options={
                'ordering': ['starts_at', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='room',
            constraint=models.UniqueConstraint(fields=('clinic', 'name'), name='room_unique_name_per_clinic'),
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(fields=['clinician', 'starts_at'], name='appt_clinician_start_idx'),
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(fields=['client', 'starts_at'], name='appt_client_start_idx'),
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(fields=['room', 'starts_at'], name='appt_room_start_idx'),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=models.UniqueConstraint(fields=('series', 'occurrence_of'), name='appt_one_row_per_occurrence'),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='appt_ends_after_start'),
        ),
        migrations.AddField(
            model_name='client',
            name='appointment_reminders',
            field=models.BooleanField(default=False, help_text='The client agreed to a reminder the day before: date, time and place only, nothing clinical.', verbose_name='E-mail appointment reminders'),
        ),
        migrations.CreateModel(
            name='AppointmentReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(auto_now_add=True)),
                ('appointment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reminder', to='clients.appointment')),
            ],
        ),
        migrations.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='UnsignedNotesDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('sent_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('user', 'day'), name='one_unsigned_digest_a_day')],
            },
        ),
        migrations.RunPython(exclusion_forwards, exclusion_backwards),
    ]
