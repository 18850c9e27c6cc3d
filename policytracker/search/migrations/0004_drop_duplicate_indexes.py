from django.db import migrations


class Migration(migrations.Migration):
    """The foreign keys carry indexes of their own.

    Only indexes change here: on SQLite, altering a column of this table rebuilds it, and
    the rebuilt table has none of the triggers migrations 0002 and 0003 gave it.
    """

    dependencies = [("search", "0003_index_version")]

    operations = [
        migrations.RemoveIndex(model_name="searchentry", name="search_entry_jurisdiction"),
        migrations.RemoveIndex(model_name="searchentry", name="search_entry_agency"),
    ]
