# The closure review's feedback moved to the feedback app; feedback 0002 copies it first (run_before).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('outcomes', '0009_case_summary_and_easy_read'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='closurereview',
            name='adult_comments',
        ),
        migrations.RemoveField(
            model_name='closurereview',
            name='felt_in_control',
        ),
        migrations.RemoveField(
            model_name='closurereview',
            name='felt_listened_to',
        ),
        migrations.RemoveField(
            model_name='closurereview',
            name='felt_safer',
        ),
    ]
