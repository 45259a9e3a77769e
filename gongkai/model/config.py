"""The site configuration (``site_config.yaml``): one typed schema, validated once."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from gongkai.model.coa import optional_account
from gongkai.model.fields import Day, Money, Strict, Text
from gongkai.model.village import Cadence, FinanceCadence

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The 五议 sequence used when a site does not set rules.decision_steps: Zhejiang's
# variant of 四议两公开, with the two disclosures that follow the decision.
DEFAULT_DECISION_STEPS = (
    "党员群众建议", "村党组织提议", "村两委商议", "党员大会审议", "村民代表会议决议",
    "决议公开", "实施结果公开",
)


def _slug(value: str) -> str:
    """Require lowercase ASCII letters, digits and hyphens."""
    if not SLUG.match(value):
        raise PydanticCustomError("gk_slug", "not a slug")
    return value


Slug = Annotated[str, AfterValidator(_slug)]


def _added_account(value: str) -> str:
    """Require an account a village may add to a chart (2004's 附注); return its code."""
    account = optional_account(value)
    if account is None:
        raise PydanticCustomError("gk_added_account", "not an optional account")
    return account.code


AddedAccount = Annotated[str, AfterValidator(_added_account)]


# A host name (any script, for 中文 domains), or an IPv6 literal in brackets, and a port.
_ADDRESS = re.compile(
    r"^https?://(?:[^\s/?#@\[\]:]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:/\S*)?$")


def web_address(value: str) -> str:
    """Require an absolute http(s) address whose host the feeds and sitemaps can read;
    end it with a slash."""
    if not _ADDRESS.match(value) or not _port_readable(value):
        raise PydanticCustomError("gk_url", "not absolute")
    return value if value.endswith("/") else value + "/"


def _port_readable(value: str) -> bool:
    """Tell whether an address's port, if it names one, is a usable one (1 to 65535)."""
    try:
        port = urlsplit(value).port
    except ValueError:
        return False
    return port is None or port > 0


class SiteSection(Strict):
    """The ``site:`` block."""

    title: Text
    base_url: str | None = None
    language: Literal["zh-CN", "en"] = "zh-CN"
    timezone: str = "Asia/Shanghai"
    today: Day | None = None

    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        """Require an absolute http(s) URL and end it with a slash."""
        return None if value is None else web_address(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        """Require a time zone name the IANA database knows."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError("gk_timezone", "unknown") from None
        return value


class Town(Strict):
    """A township: the villages' parent in the county."""

    id: Slug
    name: Text
    supervision_phone: str | None = None


class CountySection(Strict):
    """The ``county:`` block: the county's own name, as its notices say it (青山县)."""

    name: Text


class CadenceRules(Strict):
    """How often each kind of disclosure is due."""

    finance: FinanceCadence = "monthly"
    affairs: Cadence = "quarterly"
    party: Cadence = "quarterly"


class Rules(Strict):
    """The ``rules:`` block: local disclosure rules."""

    cadence: CadenceRules = CadenceRules()
    notice_days: int = Field(default=7, ge=1, le=365)
    # Whether the county's rule gives a notice that states no end the end notice_days later;
    # false: such a notice is shown with no end date, as it was posted.
    notice_end_by_rule: bool = True
    # Days after a finance period ends by which it must be posted: the county's own rule
    # (the national rule sets only the quarterly minimum); the 10th by default.
    finance_due_days: int = Field(default=10, ge=0, le=365)
    # The shortest 发展党员 notice, in working days (weekends do not count).
    recruitment_notice_working_days: int = Field(default=5, ge=1, le=60)
    # Unset, each period is checked against the chart in force when it began.
    chart_of_accounts: Literal["coa-2024", "coa-2004"] | None = None
    # Accounts the villages added to the 2004 chart as its 附注 allows (241 专项应付款…).
    added_accounts: list[AddedAccount] = Field(default_factory=list)
    decision_steps: list[Text] = Field(default=list(DEFAULT_DECISION_STEPS), min_length=1)
    # Set, every expense line above this amount names its 经手人, 证明人 and 审批人.
    signoff_above: Money | None = None


class SiteConfig(Strict):
    """The whole of ``site_config.yaml``."""

    site: SiteSection
    county: CountySection | None = None
    towns: list[Town] = Field(min_length=1)
    rules: Rules = Rules()

    def town(self, town_id: str) -> Town | None:
        """Return the town with this id, if any."""
        return next((t for t in self.towns if t.id == town_id), None)


def resolve_today(config: SiteConfig, override: date | None, now: date) -> date:
    """Return the "as of" date: --today, else site.today, else the build date."""
    return override or config.site.today or now
