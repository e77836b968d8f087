# Short contacts (one-off help) and the dependants left at the care point (issue 14,
# points 4 and 9).

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


CARE_POINT = "care_point"  # SupportForm.CARE_POINT


def care_point_marks_leave_one_dependant(apps, schema_editor):
    """Before this migration the roll call of the care point recorded only the adults:
    one marked present left at least one dependant in its care, and how many more was
    not written down. One is what is known, so the reported dependant-places are never
    more than were really provided; the care point's worker may correct the count on
    the session's roll call."""
    Attendance = apps.get_model("participants", "Attendance")
    Attendance.objects.filter(
        status="present", session__activity__support_form__code=CARE_POINT
    ).update(dependants=1)


def grant(apps, schema_editor):
    from kis.roles import grant_role_permissions

    grant_role_permissions(apps, ["participants"])


class Migration(migrations.Migration):

    dependencies = [
        # After the EU monitoring fields (0015), merged before this one: one line of
        # migrations. The two touch different tables.
        ('participants', '0015_eu_monitoring_fields'),
        ('projects', '0006_expenditure_no_nul'),
    ]

    operations = [
        migrations.CreateModel(
            name='ShortContact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('date', models.DateField(verbose_name='date')),
                ('kind', models.CharField(choices=[('counselling', 'individual counselling'), ('consultation', 'consultation'), ('information', 'information')], max_length=20, verbose_name='form of help')),
                ('duration_hours', models.DecimalField(decimal_places=2, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0.25'), message='At least a quarter of an hour (0.25 h).'), django.core.validators.MaxValueValidator(Decimal('8'), message='At most %(limit_value)s h: longer help is an activity with sessions.')], verbose_name='duration (hours)')),
                ('note', models.CharField(blank=True, help_text='What it was about, in a few words: only what the support needs.', max_length=500, verbose_name='note')),
            ],
            options={
                'verbose_name': 'short contact',
                'verbose_name_plural': 'short contacts',
                'ordering': ['-date', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='attendance',
            name='dependants',
            field=models.PositiveSmallIntegerField(default=0, help_text='At the care point: how many dependants the person left in its care.', validators=[django.core.validators.MaxValueValidator(20)], verbose_name='dependants in care'),
        ),
        migrations.RunPython(care_point_marks_leave_one_dependant, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'present'), ('dependants', 0), _connector='OR'), name='attendance_dependants_only_when_present'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.CheckConstraint(condition=models.Q(('dependants__lte', 20)), name='attendance_dependants_at_most_20'),
        ),
        migrations.AddField(
            model_name='shortcontact',
            name='participant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='short_contacts', to='participants.participant', verbose_name='participant'),
        ),
        migrations.AddField(
            model_name='shortcontact',
            name='project',
            field=models.ForeignKey(blank=True, help_text='The project the help was given in, if any. The person does not become its participant.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='short_contacts', to='projects.project', verbose_name='project'),
        ),
        migrations.AddField(
            model_name='shortcontact',
            name='staff',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='short_contacts', to='projects.staffmember', verbose_name='given by'),
        ),
        migrations.AddIndex(
            model_name='shortcontact',
            index=models.Index(fields=['date'], name='participant_date_3bba94_idx'),
        ),
        migrations.AddConstraint(
            model_name='shortcontact',
            constraint=models.CheckConstraint(condition=models.Q(('duration_hours__gt', 0), ('duration_hours__lte', Decimal('8'))), name='short_contact_duration_0_8'),
        ),
        migrations.AddConstraint(
            model_name='shortcontact',
            constraint=models.UniqueConstraint(fields=('participant', 'date', 'kind', 'staff'), name='short_contact_unique', violation_error_message='This person already has this form of help from this staff member on this day: open that contact and change its duration instead.'),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
