"""The registered exporters moved from the accounts app to their own without losing a row:
the model keeps its tables, and a database migrated before the move keeps its companies,
their categories and markets, and their history."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from exporters.models import ExporterProfile

BEFORE_THE_MOVE = [("accounts", "0002_exporter_profile"),
                   ("programs", "0003_progress_reports_notices_and_published_measures")]


def test_the_exporters_keep_the_tables_they_had_in_accounts():
    history = ExporterProfile.history.model
    assert ExporterProfile._meta.db_table == "accounts_exporterprofile"
    assert history._meta.db_table == "accounts_historicalexporterprofile"
    assert {field.name: field.remote_field.through._meta.db_table
            for field in ExporterProfile._meta.many_to_many} == {
        "product_categories": "accounts_exporterprofile_product_categories",
        "target_markets": "accounts_exporterprofile_target_markets"}


def migrate(targets, *, unapplied=()):
    """The database migrated to `targets` (and `unapplied` apps unapplied); their models."""
    executor = MigrationExecutor(connection)
    executor.migrate([*targets, *((app, None) for app in unapplied)])
    return executor.loader.project_state(targets).apps


def every_migration():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def database_before_the_move(transactional_db):
    yield migrate(BEFORE_THE_MOVE, unapplied=["exporters"])
    migrate(every_migration())  # whatever happened, the schema the other tests expect


def test_a_company_registered_before_the_move_is_still_there_after_it(
        database_before_the_move):
    old = database_before_the_move
    user = old.get_model("accounts", "User").objects.create(
        username="minato@example.jp", email="minato@example.jp", role="exporter")
    seafood = old.get_model("programs", "ProductCategory").objects.create(
        code="seafood", order=1, name_ja="水産物", name_en="Seafood")
    profile = old.get_model("accounts", "ExporterProfile").objects.create(
        user=user, company_name="みなと水産加工株式会社", corporate_number="7000012050002",
        prefecture="13", contact_name="港 太郎", status="approved",
        consented_at=timezone.now())
    profile.product_categories.add(seafood)
    history = old.get_model("accounts", "HistoricalExporterProfile").objects.create(
        id=profile.pk, company_name=profile.company_name,
        corporate_number=profile.corporate_number, prefecture="13", contact_name="港 太郎",
        status="approved", consented_at=profile.consented_at, created_at=profile.created_at,
        updated_at=profile.updated_at, history_date=timezone.now(), history_type="+")
    old.get_model("accounts", "HistoricalExporterProfile_product_categories").objects.create(
        id=profile.product_categories.through.objects.get().pk, history=history,
        exporterprofile=profile, productcategory=seafood)

    new = migrate(every_migration())

    moved = new.get_model("exporters", "ExporterProfile").objects.get()
    assert (moved.company_name, moved.user.username) == ("みなと水産加工株式会社",
                                                          "minato@example.jp")
    assert [c.code for c in moved.product_categories.all()] == ["seafood"]
    kept = new.get_model("exporters", "HistoricalExporterProfile_product_categories")
    assert kept.objects.get().history.company_name == "みなと水産加工株式会社"
