from django.db import migrations, models


class Migration(migrations.Migration):
    """The foreign keys carry their own indexes; entries are never looked up by slug."""

    dependencies = [("search", "0003_index_version")]

    operations = [
        migrations.RemoveIndex(model_name="searchentry", name="search_entry_jurisdiction"),
        migrations.RemoveIndex(model_name="searchentry", name="search_entry_agency"),
        migrations.AlterField(
            model_name="searchentry",
            name="slug",
            field=models.SlugField(db_index=False, max_length=120),
        ),
    ]
