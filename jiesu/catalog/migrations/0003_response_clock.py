from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_seed_channels_and_limits")]

    operations = [
        migrations.AlterField(
            model_name="timelimit",
            name="clock",
            field=models.CharField(
                choices=[("dispatch", "派单"), ("sign", "签收"), ("handle", "办理"), ("return_review", "退单审核"),
                         ("extension_review", "延期审批"), ("visit", "回访"), ("response", "响应")],
                max_length=20, verbose_name="环节"),
        ),
    ]
