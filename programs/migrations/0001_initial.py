import config.inputs
import django.core.validators
import django.db.models.deletion
import programs.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("accounts", "0010_one_profile_both_sides"),
    ]

    operations = [
        migrations.CreateModel(
            name='Program',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('slug', models.SlugField(unique=True)),
                ('name', models.CharField(max_length=120, validators=[config.inputs.validate_single_line])),
                ('description', models.TextField(blank=True, max_length=4000, validators=[config.inputs.validate_multi_line])),
                ('format', models.CharField(choices=[('one_on_one', 'One-on-one'), ('group', 'Group circles'), ('peer', 'Peer pairs')], default='one_on_one', max_length=12)),
                ('kind', models.CharField(choices=[('evergreen', 'Always on'), ('cohort', 'Cohort with dates')], default='evergreen', max_length=10)),
                ('starts_on', models.DateField(blank=True, null=True)),
                ('ends_on', models.DateField(blank=True, null=True)),
                ('enrollment', models.CharField(choices=[('open', 'Anyone may join'), ('invite', 'By invitation'), ('closed', 'Closed')], default='open', max_length=8)),
                ('mentor_approval', models.BooleanField(default=False, help_text='New mentors wait (`pending`) until a program admin approves them.')),
                ('session_cadence_days', models.PositiveSmallIntegerField(default=14, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)])),
                ('mentee_limit', models.PositiveSmallIntegerField(default=1, help_text='How many active mentorships one mentee (or peer) may have in this program.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(20)])),
                ('request_expiry_days', models.PositiveSmallIntegerField(default=14, help_text='A request nobody answered expires after this many days.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)])),
                ('default_weights', models.JSONField(default=programs.models.default_round_weights, help_text="A new round's weights.")),
            ],
            options={
                'ordering': ['name', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind', 'evergreen'), models.Q(('ends_on__isnull', False), ('kind', 'cohort'), ('starts_on__isnull', False)), _connector='OR'), name='program_cohort_has_dates'), models.CheckConstraint(condition=models.Q(('starts_on__isnull', True), ('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='program_ends_after_it_starts'), models.CheckConstraint(condition=models.Q(('mentee_limit__gte', 1)), name='program_mentee_limit_positive')],
            },
        ),
        migrations.CreateModel(
            name='AdminAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('kind', models.CharField(choices=[('round_create', 'Ran a match round'), ('round_cancel', 'Cancelled a match round'), ('round_publish', 'Published a match round'), ('proposal_override', 'Overrode a proposal'), ('participants_import', 'Imported participants'), ('program_create', 'Created the program'), ('program_update', "Changed the program's settings"), ('member_add', 'Added a member'), ('member_invite', 'Invited someone'), ('member_update', 'Changed a membership'), ('skill_review', 'Reviewed a skill suggestion')], max_length=24)),
                ('target', models.CharField(blank=True, help_text='What it acted on, e.g. "match round 12".', max_length=120)),
                ('details', models.JSONField(blank=True, default=dict)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(blank=True, help_text='null: site-wide.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='admin_actions', to='programs.program')),
            ],
            options={
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('role', models.CharField(choices=[('mentor', 'Mentor'), ('mentee', 'Mentee'), ('peer', 'Peer'), ('admin', 'Program admin')], max_length=8)),
                ('status', models.CharField(choices=[('invited', 'Invited'), ('pending', 'Waiting for approval'), ('active', 'Active'), ('left', 'Left'), ('removed', 'Removed')], default='active', max_length=8)),
                ('capacity', models.PositiveSmallIntegerField(default=2, help_text='How many mentees this mentor takes at once in this program.', validators=[django.core.validators.MaxValueValidator(50)])),
                ('accepting_requests', models.BooleanField(default=True)),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='programs.program')),
            ],
            options={
                'ordering': ['program__name', 'role', 'id'],
                'indexes': [models.Index(fields=['program', 'role', 'status'], name='membership_by_program_role')],
                'constraints': [models.UniqueConstraint(fields=('user', 'program', 'role'), name='one_membership_per_role'), models.CheckConstraint(condition=models.Q(('capacity__gte', 0), ('capacity__lte', 50)), name='membership_capacity_range'), models.CheckConstraint(condition=models.Q(('role__in', ['mentor', 'mentee', 'peer', 'admin'])), name='membership_role_valid'), models.CheckConstraint(condition=models.Q(('status__in', ['invited', 'pending', 'active', 'left', 'removed'])), name='membership_status_valid')],
            },
        ),
    ]
