"""What each file kind holds: its columns (English names and Vietnamese aliases) and the value lists.

Headers and list values are matched on a folded form: lower case, no diacritics (đ → d), every run of
punctuation or spaces made one space. Names of units are matched on `name_key` instead, which keeps diacritics
(Hoa Lộc and Hòa Lộc are different communes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from data_access.models import (
    CELL_KINDS,
    INSPECTION_KINDS,
    MEETING_KINDS,
    ORGANISATION_KINDS,
    OUTCOMES,
    QUALITY_LEVELS,
    RATING_LEVELS,
    SECTORS,
)

KINDS = ("units", "meetings", "inspections", "ratings")

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65_536)
def clean_name(text: str) -> str:
    """A name as stored: Unicode NFC, trimmed, inner spaces collapsed to one."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=65_536)
def name_key(text: str) -> str:
    """The key names are matched on: `clean_name`, case-folded (diacritics kept)."""
    return clean_name(text).casefold()


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Lower case without diacritics or punctuation: the key for headers and list values."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "d").replace("đ", "d").lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", plain).strip()


@dataclass(frozen=True)
class Column:
    """One column of a file kind. `type` is text, name, int, date, bool, choice or year."""

    name: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    vi: str = ""  # the Vietnamese header used in templates
    multiline: bool = False  # text whose line breaks are kept (findings)
    exported: bool = True  # False for an instruction to the import (`replaces`), not a stored value

    @property
    def keys(self) -> set[str]:
        return {fold(self.name), fold(self.vi), *(fold(a) for a in self.aliases)} - {""}


# English codes, their English labels and their Vietnamese names (with and without "nhiệm vụ", etc.).
VALUE_ALIASES: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {
    ORGANISATION_KINDS: {
        "party_committee": ("đảng bộ", "đảng bộ cơ sở", "đảng bộ xã", "party committee"),
        "party_cell": ("chi bộ cơ sở", "chi bộ", "base party cell", "party cell"),
    },
    SECTORS: {
        "commune": ("xã", "xã, phường, thị trấn", "xã thị trấn", "phường", "thị trấn"),
        "agency": ("cơ quan", "cơ quan hành chính", "hành chính"),
        "school": ("trường học", "trường", "giáo dục"),
        "enterprise": ("doanh nghiệp",),
        "armed_forces": ("lực lượng vũ trang", "llvt", "quân đội", "công an", "armed forces"),
        "other": ("khác",),
    },
    CELL_KINDS: {
        "village": ("thôn", "thôn, tổ dân phố", "tổ dân phố", "khu dân cư", "thôn, khu phố", "khu phố", "residential"),
        "agency": ("cơ quan",),
        "school": ("trường học", "trường"),
        "enterprise": ("doanh nghiệp",),
        "other": ("khác",),
    },
    MEETING_KINDS: {
        "regular": ("thường kỳ", "định kỳ", "sinh hoạt thường kỳ"),
        "thematic": ("chuyên đề", "sinh hoạt chuyên đề"),
        "combined": ("kết hợp", "thường kỳ kết hợp chuyên đề", "thường kỳ và chuyên đề"),
    },
    QUALITY_LEVELS: {
        "good": ("tốt",),
        "fair": ("khá",),
        "average": ("trung bình", "tb"),
        "poor": ("kém", "yếu", "yếu kém"),
    },
    INSPECTION_KINDS: {
        "inspection": ("kiểm tra",),
        "supervision": ("giám sát",),
    },
    OUTCOMES: {
        "commended": ("khen thưởng", "biểu dương", "tuyên dương"),
        "satisfactory": ("đạt", "đạt yêu cầu"),
        "correction_required": ("cần khắc phục", "phải khắc phục", "yêu cầu khắc phục", "khắc phục"),
        "disciplined": ("kỷ luật", "thi hành kỷ luật", "xử lý kỷ luật"),
    },
    RATING_LEVELS: {
        "excellent": ("hoàn thành xuất sắc nhiệm vụ", "hoàn thành xuất sắc", "xuất sắc", "htxsnv"),
        "good": ("hoàn thành tốt nhiệm vụ", "hoàn thành tốt", "tốt", "httnv"),
        "complete": ("hoàn thành nhiệm vụ", "hoàn thành", "htnv"),
        "not_complete": ("không hoàn thành nhiệm vụ", "không hoàn thành", "khtnv", "not completed"),
    },
}

# The Vietnamese label of each code, used in Vietnamese templates.
VALUE_LABELS_VI: dict[str, dict[str, str]] = {
    "|".join(codes): {code: names[0] for code, names in aliases.items()} for codes, aliases in VALUE_ALIASES.items()
}

YES = frozenset({"yes", "y", "co", "1", "true", "x", "dung", "co du"})
NO = frozenset({"no", "n", "khong", "0", "false", "sai"})


def value_lookup(choices: tuple[str, ...]) -> dict[str, str]:
    """Folded spelling → code, for the list `choices`."""
    table = {fold(code): code for code in choices}
    for code, names in VALUE_ALIASES.get(choices, {}).items():
        for name in names:
            table.setdefault(fold(name), code)
    return table


def vi_label(choices: tuple[str, ...], code: str) -> str:
    return VALUE_LABELS_VI.get("|".join(choices), {}).get(code, code)


@dataclass(frozen=True)
class FileKind:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the natural key, in the file's column names
    example: dict[str, object] = field(default_factory=dict)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def header_lookup(self) -> dict[str, str]:
        """Folded header → column name."""
        return {key: c.name for c in self.columns for key in c.keys}


_ORG = Column(
    "organisation",
    "name",
    True,
    ("tổ chức đảng", "tổ chức cơ sở đảng", "tổ chức", "tcsđ", "đảng bộ, chi bộ cơ sở", "organization"),
    max_length=200,
    vi="tổ chức cơ sở đảng",
)
# Lineage (the 2025 merger): a unit's successor and the day it took over, per level; blank = no successor. A
# cell's successor is named in `organisation_merged_into` when given, else in the cell's own organisation.
LINEAGE_LEVELS = ("commune", "organisation", "cell")
LINEAGE_FILE_COLUMNS = (
    Column(
        "commune_merged_into",
        "name",
        False,
        ("sáp nhập vào xã", "nhập vào xã", "xã sau sáp nhập", "commune merged into"),
        max_length=120,
        vi="xã kế tục",
    ),
    Column(
        "commune_merged_on",
        "date",
        False,
        ("ngày sáp nhập xã", "ngày nhập xã", "commune merged on"),
        vi="ngày sáp nhập xã",
    ),
    Column(
        "organisation_merged_into",
        "name",
        False,
        ("sáp nhập vào tổ chức", "tổ chức sau sáp nhập", "organization merged into"),
        max_length=200,
        vi="tổ chức kế tục",
    ),
    Column(
        "organisation_merged_on",
        "date",
        False,
        ("ngày sáp nhập tổ chức", "organization merged on"),
        vi="ngày kế tục tổ chức",
    ),
    Column(
        "cell_merged_into",
        "name",
        False,
        ("sáp nhập vào chi bộ", "chi bộ sau sáp nhập", "chi bộ sau sắp xếp"),
        max_length=200,
        vi="chi bộ kế tục",
    ),
    Column("cell_merged_on", "date", False, ("ngày sáp nhập chi bộ", "ngày sắp xếp chi bộ"), vi="ngày kế tục chi bộ"),
)

_CELL = Column("cell", "name", True, ("chi bộ trực thuộc", "tên chi bộ"), max_length=200, vi="chi bộ")
_CELL_OPTIONAL = Column("cell", "name", False, _CELL.aliases, max_length=200, vi="chi bộ")

FILE_KINDS: dict[str, FileKind] = {
    "units": FileKind(
        "units",
        (
            Column(
                "commune",
                "name",
                True,
                ("xã, phường, thị trấn", "xã/thị trấn", "đơn vị hành chính"),
                max_length=120,
                vi="xã",
            ),
            Column("district", "name", False, ("huyện", "quận, huyện", "huyện cũ"), max_length=120, vi="huyện"),
            Column("province", "name", False, ("tỉnh", "tỉnh, thành phố", "tỉnh/thành phố"), max_length=120, vi="tỉnh"),
            _ORG,
            Column(
                "organisation_kind",
                "choice",
                True,
                ("loại hình tổ chức", "loại tổ chức đảng", "organization kind"),
                ORGANISATION_KINDS,
                vi="loại tổ chức",
            ),
            Column("sector", "choice", False, ("lĩnh vực", "khối", "loại hình"), SECTORS, vi="khối"),
            _CELL,
            Column("cell_kind", "choice", False, ("loại hình chi bộ",), CELL_KINDS, vi="loại chi bộ"),
            Column(
                "meeting_day",
                "int",
                False,
                ("ngày sinh hoạt cố định", "ngày họp cố định", "ngày sinh hoạt hằng tháng"),
                vi="ngày sinh hoạt",
            ),
            Column("members", "int", False, ("đảng viên", "số đảng viên", "tổng số đảng viên"), vi="số đảng viên"),
            Column("active_from", "date", False, ("từ ngày", "ngày thành lập", "hoạt động từ ngày"), vi="hoạt động từ"),
            Column("active_to", "date", False, ("đến ngày", "ngày giải thể", "hoạt động đến ngày"), vi="hoạt động đến"),
            *LINEAGE_FILE_COLUMNS,
            Column(
                "replaces",
                "name",
                False,
                ("tên cũ", "thay cho", "đổi tên từ", "chi bộ cũ", "renames"),
                max_length=200,
                vi="tên cũ",
                exported=False,
            ),
            Column(
                "new_name",
                "bool",
                False,
                ("tên mới", "xác nhận tên mới", "confirm new"),
                vi="tên mới",
                exported=False,
            ),
        ),
        ("organisation", "cell"),
        {
            "commune": "Lộc Sơn",
            "district": "Hậu Lộc",
            "province": "Thanh Hóa",
            "organisation": "Đảng bộ xã Lộc Sơn",
            "organisation_kind": "party_committee",
            "sector": "commune",
            "cell": "Chi bộ thôn 1",
            "cell_kind": "village",
            "meeting_day": 3,
            "members": 35,
            "active_from": "2020-01-01",
            "active_to": None,
            "commune_merged_into": None,
            "commune_merged_on": None,
            "organisation_merged_into": None,
            "organisation_merged_on": None,
            "cell_merged_into": None,
            "cell_merged_on": None,
            "replaces": None,
            "new_name": None,
        },
    ),
    "meetings": FileKind(
        "meetings",
        (
            _ORG,
            _CELL,
            Column("date", "date", True, ("ngày họp", "ngày sinh hoạt", "ngày tháng"), vi="ngày"),
            Column(
                "kind",
                "choice",
                True,
                ("loại sinh hoạt", "hình thức", "hình thức sinh hoạt", "loại"),
                MEETING_KINDS,
                vi="loại sinh hoạt",
            ),
            Column(
                "topic",
                "text",
                False,
                ("chủ đề", "tên chuyên đề", "nội dung chuyên đề"),
                max_length=200,
                vi="chuyên đề",
            ),
            Column(
                "members_total", "int", True, ("tổng số", "tổng số đảng viên", "số đảng viên"), vi="tổng số đảng viên"
            ),
            Column(
                "members_exempt",
                "int",
                True,
                ("miễn sinh hoạt", "số miễn sinh hoạt", "đảng viên miễn sinh hoạt", "được miễn sinh hoạt"),
                vi="miễn sinh hoạt",
            ),
            Column("present", "int", True, ("có mặt", "số có mặt", "dự họp", "số dự họp"), vi="có mặt"),
            Column("absent_excused", "int", True, ("vắng có lí do", "vắng có phép"), vi="vắng có lý do"),
            Column("absent_unexcused", "int", True, ("vắng không lí do", "vắng không phép"), vi="vắng không lý do"),
            Column(
                "duration_min",
                "int",
                False,
                ("thời lượng", "thời gian", "thời gian (phút)", "số phút", "duration"),
                vi="thời lượng (phút)",
            ),
            Column(
                "superior_attended",
                "bool",
                False,
                ("cấp trên dự", "cấp ủy cấp trên dự", "có cấp ủy cấp trên dự", "cấp uỷ cấp trên dự"),
                vi="cấp ủy cấp trên dự",
            ),
            Column(
                "quality",
                "choice",
                False,
                ("xếp loại chất lượng", "đánh giá chất lượng", "xếp loại"),
                QUALITY_LEVELS,
                vi="chất lượng",
            ),
            Column(
                "nothing_to_report",
                "bool",
                False,
                ("không có số liệu", "không phát sinh", "không có gì báo cáo", "không sinh hoạt"),
                vi="không có số liệu báo cáo",
                exported=False,
            ),
        ),
        ("organisation", "cell", "date", "kind"),
        {
            "organisation": "Đảng bộ xã Lộc Sơn",
            "cell": "Chi bộ thôn 1",
            "date": "2025-03-03",
            "kind": "thematic",
            "topic": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            "members_total": 35,
            "members_exempt": 2,
            "present": 30,
            "absent_excused": 2,
            "absent_unexcused": 1,
            "duration_min": 90,
            "superior_attended": True,
            "quality": "good",
        },
    ),
    "inspections": FileKind(
        "inspections",
        (
            _ORG,
            _CELL_OPTIONAL,
            Column(
                "body",
                "text",
                True,
                ("cơ quan kiểm tra", "chủ thể kiểm tra", "cơ quan", "đơn vị kiểm tra"),
                max_length=200,
                vi="cơ quan kiểm tra",
            ),
            Column(
                "kind", "choice", True, ("loại", "hình thức", "kiểm tra hay giám sát"), INSPECTION_KINDS, vi="hình thức"
            ),
            Column("started_on", "date", True, ("ngày bắt đầu", "bắt đầu"), vi="ngày bắt đầu"),
            Column("concluded_on", "date", False, ("ngày kết luận", "kết thúc", "ngày kết thúc"), vi="ngày kết luận"),
            Column("outcome", "choice", True, ("kết quả", "kết luận"), OUTCOMES, vi="kết quả"),
            Column(
                "reward_level",
                "text",
                False,
                ("mức khen thưởng", "khen thưởng", "hình thức khen thưởng"),
                max_length=200,
                vi="mức khen thưởng",
            ),
            Column(
                "discipline_level",
                "text",
                False,
                ("hình thức kỷ luật", "kỷ luật", "mức kỷ luật"),
                max_length=200,
                vi="hình thức kỷ luật",
            ),
            Column("follow_up_due", "date", False, ("hạn khắc phục", "thời hạn khắc phục"), vi="hạn khắc phục"),
            Column(
                "resolved_on",
                "date",
                False,
                ("ngày khắc phục xong", "ngày hoàn thành khắc phục", "đã khắc phục ngày"),
                vi="ngày khắc phục xong",
            ),
            Column(
                "findings",
                "text",
                False,
                ("nội dung kết luận", "nhận xét", "ưu điểm, hạn chế", "ghi chú kết luận"),
                vi="nhận xét",
                multiline=True,
            ),
        ),
        ("organisation", "cell", "body", "kind", "started_on"),
        {
            "organisation": "Đảng bộ xã Lộc Sơn",
            "cell": "Chi bộ thôn 1",
            "body": "Ủy ban Kiểm tra Huyện ủy",
            "kind": "inspection",
            "started_on": "2025-04-10",
            "concluded_on": "2025-04-30",
            "outcome": "correction_required",
            "reward_level": None,
            "discipline_level": None,
            "follow_up_due": "2025-07-31",
            "resolved_on": None,
            "findings": "Sinh hoạt chưa đúng ngày cố định",
        },
    ),
    "ratings": FileKind(
        "ratings",
        (
            Column("year", "year", True, ("năm đánh giá", "năm xếp loại"), vi="năm"),
            _ORG,
            _CELL_OPTIONAL,
            Column(
                "level",
                "choice",
                True,
                ("xếp loại", "mức xếp loại", "kết quả xếp loại", "rating"),
                RATING_LEVELS,
                vi="mức xếp loại",
            ),
            Column("scheme", "text", False, ("hình thức đánh giá", "loại đánh giá"), max_length=40, vi="loại đánh giá"),
        ),
        ("year", "organisation", "cell", "scheme"),
        {
            "year": 2024,
            "organisation": "Đảng bộ xã Lộc Sơn",
            "cell": "Chi bộ thôn 1",
            "level": "good",
            "scheme": "annual",
        },
    ),
}
