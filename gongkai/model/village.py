"""The schema of ``village.yaml``: the village, its officers, its venue and 八有八规范."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from gongkai.core.i18n import N_
from gongkai.model.fields import Strict, Text


def standard_item(value: object) -> str:
    """Accept one of the sixteen 八有八规范 items by its name."""
    text = str(value).strip()
    if text not in STANDARD:
        raise PydanticCustomError("gk_choice", "unknown", {"choices": STANDARD})
    return text


class Person(Strict):
    """A member of the village committee or the supervisory committee."""

    name: Text
    role: str = ""


class Profile(Strict):
    """The village at a glance (村情概况)."""

    households: int | None = Field(default=None, ge=0)
    population: int | None = Field(default=None, ge=0)
    groups: int | None = Field(default=None, ge=0)
    area_km2: Decimal | None = Field(default=None, ge=0)
    intro: str = ""


class Contacts(Strict):
    """Official phone numbers only: personal numbers are not content."""

    office_phone: str | None = None
    supervision_phone: str | None = None


class Duty(Strict):
    """One day of the cadres' duty roster (干部值班)."""

    day: Text
    name: Text


class Service(Strict):
    """A service residents can use (便民服务), with when and where."""

    name: Text
    when: str = ""
    where: str = ""


Cadence = Literal["monthly", "quarterly", "yearly"]


def at_least_quarterly(value: str) -> str:
    """Refuse a finance cadence below the national minimum: at least once a quarter
    (农村集体经济组织财务公开规定, 农经发〔2011〕13号; 村民委员会组织法 第三十条)."""
    if value == "yearly":
        raise PydanticCustomError("gk_finance_cadence", "below the quarterly minimum")
    return value


FinanceCadence = Annotated[Cadence, AfterValidator(at_least_quarterly)]


# The 八有八规范 standard for a village's organisation venue (Dongyang): 8 haves, 8 norms.
EIGHT_HAVES = ("有适度的场所面积", "有标准的三室一栏", "有醒目的标牌标识", "有统一的上墙内容",
               "有完整的电教设备", "有必需的配套设施", "有充足的学习资料", "有齐全的档案资料")
EIGHT_NORMS = ("办公服务规范", "议事决策规范", "学习教育规范", "创业承诺规范", "便民服务规范",
               "三务公开规范", "活动形式规范", "日常管理规范")
STANDARD = EIGHT_HAVES + EIGHT_NORMS
# Display names through the catalogs (the Chinese names are how clerks write the keys).
STANDARD_NAMES = dict(zip(STANDARD, (
    N_("Adequate floor area"), N_("The standard three rooms and one board"),
    N_("Prominent signage"), N_("Uniform wall-posted content"),
    N_("Complete audio-visual equipment"),
    N_("Necessary facilities"), N_("Ample study materials"), N_("Complete archives"),
    N_("Office service norms"), N_("Deliberation and decision norms"),
    N_("Study and education norms"), N_("Pledge norms"), N_("Service-for-residents norms"),
    N_("Three-affairs disclosure norms"), N_("Activity norms"), N_("Daily management norms"),
), strict=True))


class Check(Strict):
    """One item of the 八有八规范 checklist: met or not, a note, an optional photo."""

    met: bool
    note: str = ""
    photo: str | None = None


class Room(Strict):
    """A room of the venue (三室: 党员活动室, 村务办公室, 便民服务室, ...)."""

    name: Text
    area_m2: Decimal | None = Field(default=None, ge=0)


class Venue(Strict):
    """The village's organisation venue: its size, rooms, board and the standard's checklist."""

    area_m2: Decimal | None = Field(default=None, ge=0)
    rooms: list[Room] = []
    board: str = ""
    checklist: dict[Annotated[str, BeforeValidator(standard_item)], Check] = {}


class VillageCadence(Strict):
    """A village's own disclosure cadence, where it differs from ``rules.cadence``."""

    finance: FinanceCadence | None = None
    affairs: Cadence | None = None
    party: Cadence | None = None


class ExtraStep(Strict):
    """A decision step a village adds to the county's sequence, placed after a named step."""

    step: Text
    after: Text


class VillageFile(Strict):
    """The contents of ``village.yaml``."""

    name: Text
    town: Text
    profile: Profile = Profile()
    committee: list[Person] = []
    supervisors: list[Person] = []
    contacts: Contacts = Contacts()
    office_hours: str = ""
    duty_roster: list[Duty] = []
    services: list[Service] = []
    cadence: VillageCadence = VillageCadence()
    venue: Venue | None = None
    extra_steps: list[ExtraStep] = []
