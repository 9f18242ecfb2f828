"""Test support shared by the root conftest and the apps' own fixtures."""

import importlib

# The migrations that load default configuration (data, not schema), in order: model → loader.
DEFAULT_CONFIG = (
    ("org.OrgKind", ("gongzhi.org.migrations.0002_default_org_kinds_and_sectors", "gongzhi.partylife.migrations.0002_default_types_and_rules")),
    ("points.RuleSet", ("gongzhi.points.migrations.0002_default_rules_and_star_scheme", "gongzhi.points.migrations.0003_project_rule")),
    ("volunteers.Skill", ("gongzhi.volunteers.migrations.0002_default_skills_and_record_rules",)),
    ("needs.NeedCategory", ("gongzhi.needs.migrations.0002_default_need_categories", "gongzhi.needs.migrations.0003_resources_matching")),
    ("reports.AlertRule", ("gongzhi.reports.migrations.0002_default_alert_rules",)),
    ("bank.BankPolicy", ("gongzhi.bank.migrations.0003_default_rules",)),
)


def ensure_default_config() -> None:
    """Transactional (browser) tests flush the tables, migration-loaded defaults included: load
    them again where they are missing."""
    from django.apps import apps

    for model, loaders in DEFAULT_CONFIG:
        if not apps.get_model(model).objects.exists():
            for module in loaders:
                importlib.import_module(module).load(apps, None)
