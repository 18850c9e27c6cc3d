"""The two staff groups of the review workflow: Editors write, Reviewers publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORDS = {
    "jurisdictions": ("jurisdiction", "agency", "ordinance"),
    "agreements": ("agreement", "statement"),
}
# Editors create and edit drafts, submit them for review, and cite sources.
EDITOR_CODENAMES = [
    f"{action}_{model}"
    for models in RECORDS.values()
    for model in models
    for action in ("add", "change", "view")
] + ["add_source", "change_source", "view_source", "add_proposedchange", "view_proposedchange"]
# Reviewers read everything, publish and withdraw, and decide on proposed changes.
REVIEWER_CODENAMES = [
    f"{action}_{model}"
    for models in RECORDS.values()
    for model in models
    for action in ("change", "view", "publish")
] + ["change_source", "view_source", "view_proposedchange", "change_proposedchange"]


def create_groups(apps, schema_editor):
    # Permissions are otherwise created only after all migrations have run.
    for label in ("policytracker", "jurisdictions", "agreements"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITOR_CODENAMES), ("Reviewers", REVIEWER_CODENAMES)):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label__in=["policytracker", *RECORDS], codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("policytracker", "0003_history_workflow_version"),
        ("jurisdictions", "0002_history_workflow_version"),
        ("agreements", "0002_history_workflow_version"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
