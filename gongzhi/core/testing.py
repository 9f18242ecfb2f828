"""Test support shared by the root conftest and the apps' own fixtures."""

import importlib

# The migrations that load default configuration (data, not schema), in order: model → loader.
DEFAULT_CONFIG = (
    ("org.OrgKind", ("gongzhi.org.migrations.0002_default_org_kinds_and_sectors", "gongzhi.partylife.migrations.0002_default_types_and_rules")),
    ("points.RuleSet", ("gongzhi.points.migrations.0002_default_rules_and_star_scheme", "gongzhi.points.migrations.0003_project_rule")),
    ("volunteers.Skill", ("gongzhi.volunteers.migrations.0002_default_skills_and_record_rules",)),
    ("needs.NeedCategory", ("gongzhi.needs.migrations.0002_default_need_categories", "gongzhi.needs.migrations.0003_resources_matching")),
    ("reports.AlertRule", ("gongzhi.reports.migrations.0002_default_alert_rules", "gongzhi.reports.migrations.0003_mediation_overdue_alert")),
    ("bank.BankPolicy", ("gongzhi.bank.migrations.0003_default_rules",)),
    ("lectures.Topic", ("gongzhi.lectures.migrations.0002_default_topics",)),
    ("mediation.Tier", ("gongzhi.mediation.migrations.0002_default_categories_tiers_rules",)),
    ("decisions.DecisionMethod", ("gongzhi.decisions.migrations.0002_default_methods",)),
    ("culture.AwardCategory", ("gongzhi.culture.migrations.0002_default_categories_and_publicity_kinds",)),
)


def ensure_default_config() -> None:
    """Transactional (browser) tests flush the tables, migration-loaded defaults included: load
    them again where they are missing."""
    from django.apps import apps

    for model, loaders in DEFAULT_CONFIG:
        if not apps.get_model(model).objects.exists():
            for module in loaders:
                importlib.import_module(module).load(apps, None)


def at_once(work, threads: int) -> list:
    """`work(n)` in `threads` threads started together (a barrier), each on its own database
    connection: what each returned or raised, in order. For races that only a database with row
    locks between connections can show (PostgreSQL)."""
    import threading

    from django.db import connections

    barrier, results = threading.Barrier(threads), [None] * threads

    def run(n):
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as error:  # noqa: BLE001 — kept to be asserted on
            results[n] = error
        finally:
            connections.close_all()

    started = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return results
