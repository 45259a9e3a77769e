"""Labels shown to people, once: disclosure types, recruitment stages, approval results.

The Chinese labels are input spellings a clerk may type; display names go through the
catalogs. Templates get these tables as globals (``render.jinja``), never a copy.
"""

from __future__ import annotations

from gongkai.core.i18n import N_

AFFAIRS_TYPES = {"notice": "公示", "decision": "决议", "announcement": "通知",
                 "project": "工程项目", "subsidy": "补助", "other": "其他", "system": "制度"}
PARTY_TYPES = {"party-day": "主题党日", "meetings": "三会一课", "dues": "党费",
               "recruitment": "发展党员", "review": "组织生活", "other": "其他", "system": "制度"}
# The four stages of 发展党员, each announced with its own notice.
RECRUITMENT_STAGES = {"activist": "积极分子", "candidate": "发展对象", "probationary": "预备党员",
                      "full-member": "转正"}
STAGE_NAMES = {"activist": N_("Activist stage"), "candidate": N_("Candidate stage"),
               "probationary": N_("Probationary member stage"),
               "full-member": N_("Full membership stage")}
# Display names go through the catalogs; the Chinese labels above are input spellings.
TYPE_NAMES = {
    "notice": N_("Notice"), "decision": N_("Decision"), "announcement": N_("Announcement"),
    "project": N_("Works project"), "subsidy": N_("Subsidy"), "other": N_("Other"),
    "party-day": N_("Party day"), "meetings": N_("Three meetings and one lecture"),
    "dues": N_("Party dues"), "recruitment": N_("Party recruitment"),
    "review": N_("Organisational life"), "system": N_("Rules and systems"),
}
# The three affairs a village discloses, as boards, tables and messages name them.
KIND_NAMES = {"party": N_("Party affairs"), "affairs": N_("Village affairs"),
              "finance": N_("Finances")}
# A township's approval of a decision: the input spellings, then how pages say each.
APPROVAL_STATUSES = {"pending": "待审批", "approved": "已批准", "rejected": "未批准"}
APPROVAL_NAMES = {"pending": N_("Awaiting approval"), "approved": N_("Approved"),
                  "rejected": N_("Not approved")}
