"""The demo district: a deterministic dataset shaped on the news report about Hậu Lộc district (Thanh Hóa).

`generate_demo(engine)` writes the organisation tree of the report (44 base organisations: 29 party committees and
15 base party cells; 320 subordinate cells of which 153 are village or residential-area cells; about 9,000 members;
Lộc Sơn's committee with 387 members in 11 cells meeting on the 3rd) and five years of activity with the
irregularities a real district has. The same seed and as-of date give the same rows.

The structure is described by a `DemoShape` (one `DistrictShape` per district), so larger scales are more districts
built by the same code: `scale="province"` is Hậu Lộc plus synthetic districts of Thanh Hóa sized on the province's
public figures.

Everything is written in one transaction (bulk Core inserts; COPY on PostgreSQL for the large tables): either the
whole dataset is there or none of it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import itertools
import random
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from data_access import aggregates, demo_reform, demo_reporting
from data_access.db import has_schema
from data_access.errors import UserError
from data_access.filters import Month
from data_access.migrations import init_db
from data_access.models import (
    Cell,
    Commune,
    ImportBatch,
    Inspection,
    Meeting,
    Organisation,
    Rating,
    Reporting,
    Topic,
    User,
)
from data_access.reporting import Coverage
from data_access.settings import reporting_deadline_day

SCALES = ("district", "province", "national")
DEFAULT_SEED = 2025
CHUNK_ROWS = 5_000
HISTORY_START = dt.date(2000, 1, 1)  # units that existed before the period: founding date unknown

# --------------------------------------------------------------------------------------------------------------------
# The shape of the data: what the report says, as parameters
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnchorShape:
    """One commune whose committee the report describes exactly (Lộc Sơn: 387 members in 11 cells, on the 3rd)."""

    commune: str
    members: int
    villages: tuple[str, ...]
    other_cells: int  # taken in order from the commune cell templates
    meeting_day: int = 3


@dataclass(frozen=True)
class CommitteeShape:
    """A party committee that is not a commune's (agencies, armed forces, a school, an enterprise)."""

    name: str
    sector: str
    cells: tuple[tuple[str, str], ...]  # (cell name, cell kind)


@dataclass(frozen=True)
class DistrictShape:
    """One district: its communes (the first is the district seat) and the counts the generator must meet.

    Counts are of units active at the as-of date; a few extra cells dissolved inside the period come on top.
    """

    name: str
    code: str
    province: str
    communes: tuple[str, ...]
    other_committees: tuple[CommitteeShape, ...]
    base_cells: tuple[tuple[str, str], ...]  # (organisation name, sector)
    subordinate_cells: int
    village_cells: int
    members: int
    anchor: AnchorShape | None = None
    village_merges: int = 2  # two village cells dissolved and one founded, each
    numbered_villages_every: int = 3  # every n-th commune numbers its villages ("thôn 1") instead of naming them

    @property
    def base_organisations(self) -> int:
        return len(self.communes) + len(self.other_committees) + len(self.base_cells)

    @property
    def party_committees(self) -> int:
        return len(self.communes) + len(self.other_committees)


@dataclass(frozen=True)
class DemoShape:
    """What `generate_demo` builds: districts, and how many years of activity up to the as-of date."""

    scale: str
    districts: tuple[DistrictShape, ...]
    years: int = 5

    @property
    def base_organisations(self) -> int:
        return sum(d.base_organisations for d in self.districts)

    @property
    def subordinate_cells(self) -> int:
        return sum(d.subordinate_cells for d in self.districts)

    @property
    def members(self) -> int:
        return sum(d.members for d in self.districts)


PROVINCE = "Thanh Hóa"
HAU_LOC_COMMUNES = (
    "Thị trấn Hậu Lộc",
    "Đại Lộc",
    "Đồng Lộc",
    "Thành Lộc",
    "Cầu Lộc",
    "Tiến Lộc",
    "Tuy Lộc",
    "Triệu Lộc",
    "Thuần Lộc",
    "Mỹ Lộc",
    "Lộc Sơn",
    "Xuân Lộc",
    "Liên Lộc",
    "Quang Lộc",
    "Phú Lộc",
    "Hòa Lộc",
    "Hoa Lộc",
    "Minh Lộc",
    "Hải Lộc",
    "Hưng Lộc",
    "Ngư Lộc",
    "Đa Lộc",
)


def _district_committees(district: str, *, label: str = "", enterprise: str = "Thủy sản") -> tuple[CommitteeShape, ...]:
    """The seven committees of a district that are not communes' (37 cells); `label` is "huyện X" by default."""
    label = label or f"huyện {district}"
    return (
        CommitteeShape(
            f"Đảng bộ Cơ quan Chính quyền {label}",
            "agency",
            tuple(
                (f"Chi bộ {n}", "agency")
                for n in (
                    "Văn phòng HĐND và UBND huyện",
                    "Phòng Tài chính - Kế hoạch",
                    "Phòng Nội vụ",
                    "Phòng Nông nghiệp và PTNT",
                    "Phòng Tài nguyên và Môi trường",
                    "Phòng Giáo dục và Đào tạo",
                    "Phòng Kinh tế - Hạ tầng",
                    "Phòng Lao động - Thương binh và Xã hội",
                    "Phòng Văn hóa và Thông tin",
                    "Thanh tra huyện",
                )
            ),
        ),
        CommitteeShape(
            f"Đảng bộ Khối Đảng - Đoàn thể {label}",
            "agency",
            tuple(
                (f"Chi bộ {n}", "agency")
                for n in (
                    "Văn phòng Huyện ủy",
                    "Ban Tổ chức Huyện ủy",
                    "Ủy ban Kiểm tra Huyện ủy",
                    "Ban Tuyên giáo Huyện ủy",
                    "Ủy ban MTTQ huyện",
                    "Hội Nông dân huyện",
                    "Huyện đoàn",
                )
            ),
        ),
        CommitteeShape(
            f"Đảng bộ Công an {label}",
            "armed_forces",
            tuple(
                (f"Chi bộ {n}", "other")
                for n in (
                    "Đội Cảnh sát điều tra",
                    "Đội An ninh",
                    "Đội Cảnh sát giao thông - Trật tự",
                    "Đội Tham mưu - Tổng hợp",
                    "Đội Cảnh sát quản lý hành chính",
                )
            ),
        ),
        CommitteeShape(
            f"Đảng bộ Quân sự {label}",
            "armed_forces",
            tuple((f"Chi bộ {n}", "other") for n in ("Ban Chỉ huy Quân sự", "Hậu cần - Kỹ thuật", "Tham mưu")),
        ),
        CommitteeShape(
            f"Đảng bộ Trung tâm Y tế {label}",
            "other",
            tuple(
                (f"Chi bộ {n}", "other")
                for n in (
                    "Khoa Khám bệnh",
                    "Khoa Nội",
                    "Khoa Ngoại",
                    "Khoa Y tế công cộng",
                    "Phòng Tổ chức - Hành chính",
                )
            ),
        ),
        CommitteeShape(
            f"Đảng bộ Trường THPT {district} 1",
            "school",
            tuple((f"Chi bộ {n}", "school") for n in ("Tổ Tự nhiên", "Tổ Xã hội", "Tổ Hành chính")),
        ),
        CommitteeShape(
            f"Đảng bộ Công ty Cổ phần {enterprise} {district}",
            "enterprise",
            tuple(
                (f"Chi bộ {n}", "enterprise")
                for n in ("Phân xưởng Chế biến", "Đội tàu khai thác", "Phòng Kinh doanh", "Văn phòng Công ty")
            ),
        ),
    )


def _district_base_cells(district: str, *, label: str = "") -> tuple[tuple[str, str], ...]:
    """The fifteen base party cells of a district (organisations that are themselves one cell)."""
    label = label or f"huyện {district}"
    return (
        (f"Chi bộ Viện Kiểm sát nhân dân {label}", "agency"),
        (f"Chi bộ Tòa án nhân dân {label}", "agency"),
        (f"Chi bộ Chi cục Thi hành án dân sự {label}", "agency"),
        (f"Chi bộ Kho bạc Nhà nước {district}", "agency"),
        (f"Chi bộ Bảo hiểm xã hội {label}", "agency"),
        (f"Chi bộ Chi cục Thuế khu vực {district}", "agency"),
        (f"Chi bộ Trường THPT {district} 2", "school"),
        (f"Chi bộ Trường THPT {district} 3", "school"),
        (f"Chi bộ Trường THPT {district} 4", "school"),
        (f"Chi bộ Trung tâm GDNN - GDTX {label}", "school"),
        (f"Chi bộ Điện lực {district}", "enterprise"),
        (f"Chi bộ Bưu điện {label}", "enterprise"),
        (f"Chi bộ Ngân hàng Nông nghiệp và PTNT {label}", "enterprise"),
        (f"Chi bộ Ngân hàng Chính sách xã hội {label}", "other"),
        (f"Chi bộ Trung tâm Văn hóa, Thông tin và Thể thao {label}", "other"),
    )


HAU_LOC = DistrictShape(
    name="Hậu Lộc",
    code="HL",
    province=PROVINCE,
    communes=HAU_LOC_COMMUNES,
    other_committees=_district_committees("Hậu Lộc"),
    base_cells=_district_base_cells("Hậu Lộc"),
    subordinate_cells=320,
    village_cells=153,
    members=9_000,
    anchor=AnchorShape(
        commune="Lộc Sơn",
        members=387,
        villages=("Yên Hòa", "Phú Điền", "Trung Thành", "Nam Sơn", "Cao Sơn", "Đồng Tâm"),
        other_cells=5,
    ),
)

# Other districts of Thanh Hóa for the province scale: (name, code, commune-name prefix, communes).
_PROVINCE_DISTRICTS = (
    ("Hoằng Hóa", "HH", "Hoằng", 36),
    ("Nga Sơn", "NS", "Nga", 26),
    ("Hà Trung", "HT", "Hà", 20),
    ("Quảng Xương", "QX", "Quảng", 26),
    ("Thiệu Hóa", "THH", "Thiệu", 25),
    ("Thọ Xuân", "TX", "Xuân", 30),
    ("Triệu Sơn", "TS", "Thọ", 34),
    ("Yên Định", "YD", "Yên", 26),
    ("Vĩnh Lộc", "VL", "Vĩnh", 13),
    ("Đông Sơn", "DS", "Đông", 14),
    ("Nông Cống", "NC", "Tượng", 29),
    ("Tĩnh Gia", "TG", "Hải", 30),
    ("Thạch Thành", "TT", "Thạch", 25),
    ("Cẩm Thủy", "CT", "Cẩm", 17),
    ("Ngọc Lặc", "NL", "Ngọc", 21),
    ("Lang Chánh", "LC", "Lâm", 10),
    ("Bá Thước", "BT", "Ban", 21),
    ("Quan Hóa", "QH", "Phú", 15),
    ("Quan Sơn", "QS", "Sơn", 12),
    ("Mường Lát", "ML", "Mường", 8),
    ("Thường Xuân", "THX", "Xuân Lệ", 16),
    ("Như Thanh", "NT", "Thanh", 14),
    ("Như Xuân", "NX", "Bãi", 16),
    ("Bỉm Sơn", "BS", "Bắc", 7),
    ("Sầm Sơn", "SS", "Quảng Tiến", 11),
    ("Thành phố Thanh Hóa", "TP", "Đông Hương", 34),
)
_COMMUNE_WORDS = (
    "An",
    "Bình",
    "Châu",
    "Đạt",
    "Đông",
    "Giang",
    "Hải",
    "Hòa",
    "Hợp",
    "Khê",
    "Minh",
    "Phong",
    "Phú",
    "Phúc",
    "Quang",
    "Sơn",
    "Tân",
    "Thành",
    "Thắng",
    "Thanh",
    "Thịnh",
    "Tiến",
    "Trung",
    "Trường",
    "Vinh",
    "Xuân",
    "Yên",
    "Lạc",
    "Hưng",
    "Long",
    "Ninh",
    "Đức",
    "Kim",
    "Ngọc",
    "Cát",
    "Lợi",
    "Tâm",
    "Nghĩa",
    "Hiền",
)


_ENTERPRISES = ("May", "Xây dựng", "Vật liệu xây dựng", "Lâm nghiệp", "Mía đường", "Thủy sản", "Chế biến nông sản")


def _extra_base_cells(district: str, label: str) -> tuple[tuple[str, str], ...]:
    """Ten more base party cells: a province's districts have more schools and enterprises than Hậu Lộc."""
    return (
        (f"Chi bộ Trường THPT {district} 5", "school"),
        (f"Chi bộ Trường Trung cấp nghề {district}", "school"),
        (f"Chi bộ Công ty TNHH May {district}", "enterprise"),
        (f"Chi bộ Công ty Cổ phần Xây dựng {district}", "enterprise"),
        (f"Chi bộ Công ty TNHH MTV Thủy lợi {district}", "enterprise"),
        (f"Chi bộ Ngân hàng Đầu tư và Phát triển {district}", "enterprise"),
        (f"Chi bộ Hạt Kiểm lâm {district}", "agency"),
        (f"Chi bộ Văn phòng Đăng ký đất đai {label}", "agency"),
        (f"Chi bộ Trạm Khuyến nông {district}", "other"),
        (f"Chi bộ Đội Quản lý thị trường {district}", "other"),
    )


def _synthetic_district(
    name: str, *, code: str, province: str, prefix: str, n_communes: int, enterprise: str, used: set[str]
) -> DistrictShape:
    """A district built like Hậu Lộc (about 7 villages and 6 other cells per commune, 7 other committees and 25
    base party cells), with commune names "<prefix> <word>" unique among `used` (which it extends)."""
    city = name.startswith("Thành phố ")
    short = name.removeprefix("Thành phố ")
    label = f"thành phố {short}" if city else f"huyện {short}"
    words = [w for w in _COMMUNE_WORDS if w != prefix.split()[-1]]  # never "Hải Hải"
    communes = [f"Phường {short}" if city else f"Thị trấn {short}"]
    for i in range(n_communes - 1):
        commune = f"{prefix} {words[i % len(words)]}"
        copy = 2
        while commune in used or commune in communes:
            commune = f"{prefix} {words[i % len(words)]} {copy}"
            copy += 1
        communes.append(commune)
    used.update(communes)
    base_cells = _district_base_cells(short, label=label) + _extra_base_cells(short, label)
    committees = _district_committees(short, label=label, enterprise=enterprise)
    n_villages = round(n_communes * 7.3)
    n_other = sum(len(c.cells) for c in committees) + n_communes * 6
    return DistrictShape(
        name=name,
        code=code,
        province=province,
        communes=tuple(communes),
        other_committees=committees,
        base_cells=base_cells,
        subordinate_cells=n_villages + n_other,
        village_cells=n_villages,
        members=round((n_villages + n_other) * 26.5 + len(base_cells) * 15),
    )


def _thanh_hoa_districts(used: set[str]) -> list[DistrictShape]:
    """Hậu Lộc as in the report, plus 26 districts sized so the province has ~1,400 base organisations,
    ~9,000 cells and ~235,000 members (public figures of Thanh Hóa)."""
    used.update(HAU_LOC.communes)
    districts = [HAU_LOC]
    for n, (name, code, prefix, n_communes) in enumerate(_PROVINCE_DISTRICTS):
        enterprise = _ENTERPRISES[n % len(_ENTERPRISES)]
        districts.append(
            _synthetic_district(
                name,
                code=code,
                province=PROVINCE,
                prefix=prefix,
                n_communes=n_communes,
                enterprise=enterprise,
                used=used,
            )
        )
    return districts


# The 34 provinces and centrally run cities after the 2025 reform (Thanh Hóa is built district by district above).
NATIONAL_PROVINCES = (
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Thành phố Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
)
NATIONAL_DISTRICTS_PER_PROVINCE = 20


def _national_shape() -> DemoShape:
    """34 provinces: Thanh Hóa as at province scale, the others 20 synthetic districts each (~220,000 cells)."""
    used: set[str] = set()
    districts = _thanh_hoa_districts(used)
    district_names = {d.name for d in districts}
    rng = random.Random("national-shape")  # fixed: the shape never depends on the seed
    for p, province in enumerate(NATIONAL_PROVINCES):
        if province == PROVINCE:
            continue
        for k in range(NATIONAL_DISTRICTS_PER_PROVINCE):
            prefix = _COMMUNE_WORDS[(p * 7 + k) % len(_COMMUNE_WORDS)]
            name = f"{prefix} {_COMMUNE_WORDS[(p + k * 3 + 11) % len(_COMMUNE_WORDS)]}"
            copy = 2
            while name in district_names:
                name = f"{prefix} {_COMMUNE_WORDS[(p + k * 3 + 11) % len(_COMMUNE_WORDS)]} {copy}"
                copy += 1
            district_names.add(name)
            districts.append(
                _synthetic_district(
                    name,
                    code=f"P{p:02d}D{k:02d}",
                    province=province,
                    prefix=prefix,
                    n_communes=rng.randint(12, 28),
                    enterprise=_ENTERPRISES[(p + k) % len(_ENTERPRISES)],
                    used=used,
                )
            )
    return DemoShape(scale="national", districts=tuple(districts))


def demo_shape(scale: str) -> DemoShape:
    """The shape for `scale`: `district` (Hậu Lộc), `province` (Thanh Hóa) or `national` (34 provinces)."""
    if scale == "district":
        return DemoShape(scale="district", districts=(HAU_LOC,))
    if scale == "province":
        return DemoShape(scale="province", districts=tuple(_thanh_hoa_districts(set())))
    if scale == "national":
        return _national_shape()
    raise UserError(f"unknown demo scale {scale!r}: choose one of {', '.join(SCALES)}")


TOPICS: tuple[tuple[str, str, str, float, float], ...] = (
    # (Vietnamese, English, category, weight in village cells, weight in other cells)
    (
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Studying and following Hồ Chí Minh's thought, morality and style",
        "political",
        3.0,
        4.0,
    ),
    ("Xây dựng nông thôn mới", "Building new rural areas", "rural", 2.5, 0.6),
    (
        "Huy động nguồn lực phát triển kinh tế",
        "Mobilising resources for economic development",
        "economy",
        1.5,
        1.2,
    ),
    ("Chuyển đổi cơ cấu cây trồng, vật nuôi", "Restructuring crops and livestock", "agriculture", 1.5, 0.2),
    ("Làm đường giao thông nông thôn", "Building rural roads", "infrastructure", 1.0, 0.2),
    ("Ủng hộ các quỹ", "Donations to funds", "social", 1.0, 1.0),
    ("Chỉ đạo sản xuất", "Production guidance", "agriculture", 1.5, 0.3),
    ("Công tác phát triển đảng viên", "Admitting new party members", "party_building", 0.8, 1.2),
    ("Bảo đảm an ninh, trật tự", "Security and public order", "security", 0.8, 1.0),
    ("Phòng, chống thiên tai, bão lũ", "Disaster and flood prevention", "social", 0.6, 0.4),
    ("Chuyển đổi số", "Digital transformation", "economy", 0.4, 1.2),
)

_VILLAGE_NAMES = (
    "Yên Hòa",
    "Phú Điền",
    "Trung Thành",
    "Đông Thôn",
    "Nam Sơn",
    "Bắc Sơn",
    "Thanh Xuân",
    "Hòa Bình",
    "Tân Lập",
    "Đồng Tâm",
    "Quang Trung",
    "Hưng Thịnh",
    "Minh Thành",
    "Phúc Lộc",
    "Cao Sơn",
    "Liên Hưng",
    "Tiến Thành",
    "Đại Đồng",
    "Xuân Phú",
    "Thắng Lợi",
    "Đoàn Kết",
    "Hồng Phong",
    "Vĩnh Phúc",
    "An Lạc",
    "Kim Sơn",
    "Ngọc Lâm",
    "Phú Thọ",
    "Yên Lộc",
    "Châu Tiến",
    "Bình Minh",
    "Hải Thanh",
    "Đông Hải",
    "Tây Hải",
    "Nam Hải",
    "Bắc Hải",
    "Hòa Ninh",
    "Thành Công",
    "Tân Phong",
    "Mỹ Điền",
    "Phú Lương",
    "Văn Phú",
    "Lam Sơn",
    "Đình Thôn",
    "Cự Phú",
    "Y Bích",
    "Bái Trung",
    "Ngọc Hà",
    "Xuân Tiến",
    "Phong Lạc",
    "Đông Thịnh",
    "Hợp Thành",
    "Toàn Thắng",
    "Quyết Thắng",
    "Tam Đa",
    "Lộc Tiên",
    "Sơn Thủy",
)


def _commune_cell_templates(commune: str) -> list[tuple[str, str]]:
    """Non-village cells of a commune committee, in the order they are used."""
    township = commune.startswith(("Thị trấn", "Phường"))
    unit = "thị trấn" if township else "xã"
    place = commune[0].lower() + commune[1:] if township else commune
    return [
        (f"Chi bộ Cơ quan {unit}", "agency"),
        (f"Chi bộ Công an {unit}", "other"),
        (f"Chi bộ Trường THCS {place}", "school"),
        (f"Chi bộ Trường Tiểu học {place}", "school"),
        (f"Chi bộ Trường Mầm non {place}", "school"),
        (f"Chi bộ Quân sự {unit}", "other"),
        (f"Chi bộ Trạm Y tế {unit}", "other"),
        (f"Chi bộ Hợp tác xã Dịch vụ nông nghiệp {place}", "enterprise"),
        (f"Chi bộ Quỹ Tín dụng nhân dân {place}", "enterprise"),
    ]


# --------------------------------------------------------------------------------------------------------------------
# Units: plain records built in memory, then written in bulk
# --------------------------------------------------------------------------------------------------------------------


@dataclass
class _Org:
    name: str
    kind: str
    sector: str
    commune: int  # index into the district's commune list
    district: DistrictShape
    cells: list[_Cell] = field(default_factory=list)
    id: int = 0


@dataclass
class _Cell:
    name: str
    kind: str
    org: _Org
    meeting_day: int = 3
    members: int = 0
    active_from: dt.date = HISTORY_START
    active_to: dt.date | None = None
    anchor: bool = False
    id: int = 0


@dataclass(frozen=True)
class _Period:
    as_of: dt.date
    first: Month
    last: Month  # the last complete month before as_of

    @property
    def start(self) -> dt.date:
        return self.first.first_day

    @property
    def end(self) -> dt.date:
        return self.last.last_day

    @cached_property
    def months(self) -> tuple[tuple[int, int], ...]:
        """(year, month) of every month of the period, oldest first."""
        return tuple((m.year, m.month) for m in (self.first + i for i in range(self.last.index - self.first.index + 1)))


def _ascii_code(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in plain if ch.isascii() and ch.isalnum()).upper()


def _commune_codes(district: DistrictShape) -> list[str]:
    """Short ASCII codes, unique within the district ("HL-TT", "HL-LOCSON"; Hòa Lộc and Hoa Lộc get a suffix)."""
    codes: list[str] = []
    for commune in district.communes:
        base = "TT" if commune.startswith("Thị trấn") else _ascii_code(commune)
        code = f"{district.code}-{base}"[:36]
        n = 2
        while code in codes:
            code = f"{district.code}-{base}"[:36] + str(n)
            n += 1
        codes.append(code)
    return codes


def _apportion(weights: Sequence[float], total: int, *, minimum: int = 3) -> list[int]:
    """Integers proportional to `weights` that add up to exactly `total` (largest remainder), each ≥ `minimum`."""
    scale = (total - minimum * len(weights)) / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    short = total - minimum * len(weights) - sum(counts)
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in by_remainder[:short]:
        counts[i] += 1
    return [c + minimum for c in counts]


_MEMBER_RANGES = {"village": (26, 46), "agency": (8, 18), "school": (10, 22), "enterprise": (8, 20), "other": (7, 16)}
_OTHER_DAYS = (1, 2, 4, 5, 5, 6, 10, 10, 15, 15, 20, 25)


def _month_start(period: _Period, offset: int) -> dt.date:
    return (period.first + offset).first_day


def _build_district(district: DistrictShape, *, seed: int, period: _Period) -> list[_Org]:
    """The organisations and cells of one district, with members, meeting days and active dates."""
    rng = random.Random(f"{seed}/{district.code}/structure")
    anchor = district.anchor
    communes = list(district.communes)
    commune_orgs: list[_Org] = []
    for index, commune in enumerate(communes):
        township = commune.startswith(("Thị trấn", "Phường"))
        org_name = f"Đảng bộ {commune[0].lower() + commune[1:]}" if township else f"Đảng bộ xã {commune}"
        commune_orgs.append(_Org(org_name, "party_committee", "commune", index, district))
    other_orgs = [_Org(c.name, "party_committee", c.sector, 0, district) for c in district.other_committees]
    base_orgs = [_Org(name, "party_cell", sector, 0, district) for name, sector in district.base_cells]

    # Village cells: the anchor's own, the rest spread evenly over the other communes.
    anchor_index = communes.index(anchor.commune) if anchor else -1
    plain = [i for i in range(len(communes)) if i != anchor_index]
    villages_left = district.village_cells - (len(anchor.villages) if anchor else 0)
    committee_cells = sum(len(c.cells) for c in district.other_committees)
    others_left = district.subordinate_cells - district.village_cells - committee_cells
    others_left -= anchor.other_cells if anchor else 0
    if villages_left < 0 or others_left < 0 or (plain and others_left > len(plain) * 9):
        raise ValueError(f"district shape {district.name} cannot be built: counts do not add up")

    for slot, index in enumerate(plain):
        org = commune_orgs[index]
        commune = communes[index]
        n_villages = villages_left // len(plain) + (1 if slot < villages_left % len(plain) else 0)
        n_others = others_left // len(plain) + (1 if slot < others_left % len(plain) else 0)
        if commune.startswith(("Thị trấn", "Phường")):
            names = [f"Chi bộ Khu phố {n}" for n in range(1, n_villages + 1)]
        elif slot % district.numbered_villages_every == 2:
            names = [f"Chi bộ thôn {n}" for n in range(1, n_villages + 1)]
        else:
            names = [f"Chi bộ thôn {v}" for v in rng.sample(_VILLAGE_NAMES, n_villages)]
        org.cells.extend(_Cell(name, "village", org) for name in names)
        org.cells.extend(_Cell(name, kind, org) for name, kind in _commune_cell_templates(commune)[:n_others])
    if anchor:
        org = commune_orgs[anchor_index]
        org.cells.extend(_Cell(f"Chi bộ thôn {v}", "village", org, anchor=True) for v in anchor.villages)
        templates = _commune_cell_templates(anchor.commune)[: anchor.other_cells]
        org.cells.extend(_Cell(name, kind, org, anchor=True) for name, kind in templates)
    for org, shape in zip(other_orgs, district.other_committees, strict=True):
        org.cells.extend(_Cell(name, kind, org) for name, kind in shape.cells)
    kind_of_sector = {"agency": "agency", "school": "school", "enterprise": "enterprise"}
    for org in base_orgs:
        org.cells.append(_Cell(org.name, kind_of_sector.get(org.sector, "other"), org))

    orgs = commune_orgs + other_orgs + base_orgs
    active = [cell for org in orgs for cell in org.cells]

    # Members: the anchor exactly as reported, the other active cells adding up to the district's total.
    def weight(cell: _Cell) -> float:
        low, high = _MEMBER_RANGES[cell.kind]
        return rng.uniform(low, high)

    anchored = [c for c in active if c.anchor]
    free = [c for c in active if not c.anchor]
    if anchor:
        for cell, members in zip(anchored, _apportion([weight(c) for c in anchored], anchor.members), strict=True):
            cell.members = members
    free_total = district.members - (anchor.members if anchor else 0)
    for cell, members in zip(free, _apportion([weight(c) for c in free], free_total), strict=True):
        cell.members = members

    # Meeting days: the 3rd for most (and the whole anchor), another fixed day for some.
    for cell in free:
        if rng.random() < 0.18:
            cell.meeting_day = rng.choice(_OTHER_DAYS)
    if anchor:
        for cell in anchored:
            cell.meeting_day = anchor.meeting_day

    # Units that changed inside the period. Villages merged: two cells dissolved, the merged one founded.
    n_months = period.last.index - period.first.index + 1
    merge_orgs = [commune_orgs[i] for i in plain if not communes[i].startswith(("Thị trấn", "Phường"))]
    for org in rng.sample(merge_orgs, min(district.village_merges, len(merge_orgs))):
        merged = rng.choice([c for c in org.cells if c.kind == "village"])
        merged_on = _month_start(period, rng.randrange(n_months // 5, n_months * 3 // 5))
        merged.active_from = merged_on
        predecessors = rng.sample(
            [v for v in _VILLAGE_NAMES if f"Chi bộ thôn {v}" not in {c.name for c in org.cells}], 2
        )
        for village in predecessors:
            org.cells.append(
                _Cell(
                    f"Chi bộ thôn {village}",
                    "village",
                    org,
                    meeting_day=merged.meeting_day,
                    members=max(5, merged.members // 2 - rng.randrange(0, 4)),
                    active_to=merged_on - dt.timedelta(days=1),
                )
            )
    # A health-station cell handed over mid-month (dissolved), and an enterprise cell founded mid-month.
    if plain:
        org = commune_orgs[plain[len(plain) // 2]]
        name = "Chi bộ Trạm Y tế xã"
        if all(c.name != name for c in org.cells):
            dissolved_on = _month_start(period, n_months // 2) + dt.timedelta(days=19)
            org.cells.append(_Cell(name, "other", org, members=9, active_to=dissolved_on))
    enterprise = [c for org in other_orgs if org.sector == "enterprise" for c in org.cells]
    if enterprise:
        founded = enterprise[-2] if len(enterprise) > 1 else enterprise[0]
        founded.active_from = _month_start(period, n_months * 2 // 5) + dt.timedelta(days=14)
    return orgs


# --------------------------------------------------------------------------------------------------------------------
# Activity: meetings, inspections, ratings
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Habits:
    """How one cell behaves over the period (drawn once per cell)."""

    skip: float
    off_day: float
    rate: float
    thematic: float
    combined: float
    superior: float
    growth: float
    exempt: int
    silent_from: int | None  # month offset from which the cell stopped meeting (an alert for the dashboard)


def _habits(cell: _Cell, rng: random.Random, *, n_months: int, silent: bool) -> _Habits:
    if cell.anchor:  # the report: every Lộc Sơn cell meets on the 3rd, executives attend in person
        return _Habits(
            skip=0.004,
            off_day=0.02,
            rate=rng.uniform(0.90, 0.95),
            thematic=0.93,
            combined=0.05,
            superior=0.45,
            growth=rng.uniform(0.0, 0.06),
            exempt=rng.randint(0, 3) if cell.kind == "village" else 0,
            silent_from=None,
        )
    tier = rng.random()
    if tier < 0.82:
        rate = min(0.97, max(0.85, rng.gauss(0.915, 0.025)))
    elif tier < 0.95:
        rate = rng.uniform(0.78, 0.85)
    else:
        rate = rng.uniform(0.64, 0.78)
    sloppy = rng.random() < 0.08
    exempt = 0
    if cell.kind == "village" and rng.random() < 0.65:
        exempt = rng.randint(1, max(1, cell.members // 10))
    elif rng.random() < 0.1:
        exempt = 1
    return _Habits(
        skip=rng.uniform(0.08, 0.22) if sloppy else rng.uniform(0.0, 0.03),
        off_day=rng.uniform(0.2, 0.45) if sloppy or rng.random() < 0.1 else rng.uniform(0.02, 0.08),
        rate=rate,
        thematic=rng.uniform(0.55, 0.75) if sloppy else rng.uniform(0.75, 0.95),
        combined=rng.uniform(0.03, 0.12),
        superior=rng.uniform(0.12, 0.35),
        growth=rng.uniform(-0.03, 0.10),
        exempt=exempt,
        silent_from=n_months - rng.randint(3, 5) if silent else None,
    )


def _jitter(r: float, p: float) -> int:
    """-1 or +1 with probability `p` each, else 0, from one uniform draw `r`."""
    return -1 if r < p else 1 if r >= 1 - p else 0


def _pick(r: float, choices: Sequence[int]) -> int:
    return choices[int(r * len(choices))]


def _quality(rate: float, rng: random.Random) -> str:
    r = rng.random()
    if rate >= 0.9:
        return "good" if r < 0.7 else "fair" if r < 0.96 else "average"
    if rate >= 0.8:
        return "good" if r < 0.35 else "fair" if r < 0.8 else "average"
    return "fair" if r < 0.3 else "average" if r < 0.8 else "poor"


def _active(cell: _Cell, day: dt.date) -> bool:
    return cell.active_from <= day and (cell.active_to is None or day <= cell.active_to)


def _meetings_of(
    cell: _Cell,
    habits: _Habits,
    rng: random.Random,
    *,
    period: _Period,
    topic_ids: Sequence[int],
    topic_weights: Sequence[float],
    batch_id: int,
) -> Iterator[dict[str, Any]]:
    """Every meeting one cell held in the period, in date order per kind."""
    months = period.months
    n_months = len(months)
    random_ = rng.random  # the hot loop below draws ~15 numbers per meeting; plain floats are the cheap draw

    def counts(offset: int, thematic: bool) -> dict[str, Any]:
        lag = (n_months - 1 - offset) / max(1, n_months - 1)
        total = max(3, round(cell.members * (1 - habits.growth * lag)) + _jitter(random_(), 0.2))
        exempt = min(total - 1, max(0, habits.exempt + _jitter(random_(), 0.15))) if habits.exempt else 0
        expected = total - exempt
        seasonal = 0.03 if months[offset][1] in (6, 10) else 0.0  # harvest months
        rate = habits.rate - seasonal - (0.02 if thematic else 0.0) + rng.gauss(0, 0.03)
        present = min(expected, max(0, round(expected * min(1.0, rate))))
        absent = expected - present
        excused = round(absent * (0.55 + 0.4 * random_()))
        return {
            "members_total": total,
            "members_exempt": exempt,
            "present": present,
            "absent_excused": excused,
            "absent_unexcused": absent - excused,
            "quality": _quality(present / expected if expected else 1.0, rng),
        }

    # Which month of each quarter (if any) carries a combined meeting, and which thematic meetings are held.
    combined_months: set[int] = set()
    thematic: list[tuple[int, int]] = []  # (month offset, day)
    offset = 0
    while offset < n_months:
        quarter_len = 3 - (months[offset][1] - 1) % 3
        quarter = list(range(offset, min(n_months, offset + quarter_len)))
        offset += quarter_len
        if habits.silent_from is not None and quarter[0] >= habits.silent_from:
            continue
        r = rng.random()
        if r < habits.thematic:
            for _ in range(2 if rng.random() < 0.08 else 1):
                thematic.append((rng.choice(quarter), rng.randint(8, 26)))
        elif r < habits.thematic + habits.combined:
            combined_months.add(rng.choice(quarter))

    for offset, (year, month) in enumerate(months):
        if habits.silent_from is not None and offset >= habits.silent_from:
            break
        if random_() < habits.skip:
            continue
        day = cell.meeting_day
        if random_() < habits.off_day:
            day = min(28, max(1, day + _pick(random_(), (-2, -1, 1, 2, 3, 4, 5, 7))))
        dates = [dt.date(year, month, day)]
        if random_() < 0.004:  # an extra regular meeting in the month (e.g. before a congress)
            extra = min(calendar.monthrange(year, month)[1], day + 12)
            if extra != day:  # a cell meeting on the 28th has no later day in February
                dates.append(dt.date(year, month, extra))
        for n, date in enumerate(dates):
            if not _active(cell, date):
                continue
            is_combined = n == 0 and offset in combined_months
            row = counts(offset, is_combined)
            yield {
                "cell_id": cell.id,
                "date": date,
                "kind": "combined" if is_combined else "regular",
                "topic_id": rng.choices(topic_ids, topic_weights)[0] if is_combined else None,
                "duration_min": (90 if is_combined else 60) + 5 * int(random_() * 19),
                "superior_attended": random_() < habits.superior,
                "import_batch_id": batch_id,
                **row,
            }
    yield from _current_month_meeting(cell, habits, period=period, batch_id=batch_id)
    seen: set[dt.date] = set()
    for offset, day in sorted(thematic):
        date = dt.date(*months[offset], day)
        if date in seen or not _active(cell, date):
            continue
        seen.add(date)
        row = counts(offset, True)
        yield {
            "cell_id": cell.id,
            "date": date,
            "kind": "thematic",
            "topic_id": rng.choices(topic_ids, topic_weights)[0],
            "duration_min": 90 + 5 * int(random_() * 19),
            "superior_attended": random_() < habits.superior + 0.1,
            "import_batch_id": batch_id,
            **row,
        }


def _current_month_meeting(cell: _Cell, habits: _Habits, *, period: _Period, batch_id: int) -> Iterator[dict[str, Any]]:
    """The as-of month's regular meeting, for a cell whose fixed day is already behind the as-of date.

    The metrics count the current month as due once its scheduled day has passed (docs/metrics.md), so a demo that
    stopped at the last complete month would show every cell as missing it. Drawn from a generator of its own, so
    the earlier months stay what they were for the same seed.
    """
    if habits.silent_from is not None or cell.meeting_day >= period.as_of.day:
        return
    date = period.as_of.replace(day=cell.meeting_day)
    rng = random.Random(cell.id * 7919 + period.as_of.toordinal())
    if rng.random() < habits.skip or not _active(cell, date):
        return
    total = max(3, cell.members)
    exempt = min(total - 1, habits.exempt)
    expected = total - exempt
    present = min(expected, max(0, round(expected * min(1.0, habits.rate + rng.gauss(0, 0.03)))))
    excused = round((expected - present) * (0.55 + 0.4 * rng.random()))
    yield {
        "cell_id": cell.id,
        "date": date,
        "kind": "regular",
        "topic_id": None,
        "duration_min": 60 + 5 * int(rng.random() * 19),
        "superior_attended": rng.random() < habits.superior,
        "import_batch_id": batch_id,
        "members_total": total,
        "members_exempt": exempt,
        "present": present,
        "absent_excused": excused,
        "absent_unexcused": expected - present - excused,
        "quality": _quality(present / expected if expected else 1.0, rng),
    }


_FINDINGS = {
    "commended": (
        "Duy trì sinh hoạt định kỳ đúng ngày quy định; tỷ lệ đảng viên dự sinh hoạt cao; nội dung sinh hoạt "
        "chuyên đề thiết thực."
    ),
    "satisfactory": "Cơ bản thực hiện tốt quy định về sinh hoạt chi bộ; một số biên bản ghi chưa đầy đủ.",
    "correction_required": (
        "Một số kỳ sinh hoạt không đúng ngày quy định; tỷ lệ đảng viên dự sinh hoạt dưới 85%; chưa sinh hoạt "
        "chuyên đề đủ mỗi quý."
    ),
    "disciplined": "Vi phạm nguyên tắc tập trung dân chủ; buông lỏng quản lý đảng viên; để xảy ra sai phạm kéo dài.",
}
_REWARDS = ("Giấy khen của Ban Thường vụ Huyện ủy", "Giấy khen của Đảng ủy", "Biểu dương")
_DISCIPLINES = ("Khiển trách", "Cảnh cáo")


def _pick_outcome(kind: str, rng: random.Random) -> str:
    r = rng.random()
    if kind == "inspection":
        return (
            "commended"
            if r < 0.18
            else "satisfactory"
            if r < 0.70
            else "correction_required"
            if r < 0.94
            else "disciplined"
        )
    return (
        "commended"
        if r < 0.15
        else "satisfactory"
        if r < 0.80
        else "correction_required"
        if r < 0.99
        else "disciplined"
    )


def _inspections(
    orgs: Sequence[_Org], *, seed: int, district: DistrictShape, period: _Period, batch_id: int
) -> list[dict[str, Any]]:
    """District bodies inspect or supervise each base organisation about every two years; committees supervise
    a few of their own cells every year."""
    rng = random.Random(f"{seed}/{district.code}/inspections")
    last_start = period.as_of - dt.timedelta(days=50)
    span = (last_start - period.start).days
    rows: list[dict[str, Any]] = []
    keys: set[tuple[Any, ...]] = set()

    def add(org: _Org, cell: _Cell | None, body: str, kind: str) -> None:
        started = period.start + dt.timedelta(days=rng.randrange(span))
        if cell is not None and not _active(cell, started):
            return
        while (org.id, cell.id if cell else None, body, kind, started) in keys:
            started += dt.timedelta(days=1)
        keys.add((org.id, cell.id if cell else None, body, kind, started))
        concluded = min(started + dt.timedelta(days=rng.randint(7, 40)), period.as_of - dt.timedelta(days=1))
        outcome = _pick_outcome(kind, rng)
        due = resolved = None
        if outcome in ("correction_required", "disciplined"):
            due = concluded + dt.timedelta(days=rng.randint(30, 120))
            if due <= period.as_of:
                if rng.random() < 0.88:
                    resolved = min(period.as_of, max(concluded, due + dt.timedelta(days=rng.randint(-25, 20))))
            elif rng.random() < 0.3:
                resolved = concluded + dt.timedelta(days=rng.randint(0, (period.as_of - concluded).days))
        rows.append(
            {
                "organisation_id": org.id,
                "cell_id": cell.id if cell else None,
                "body": body,
                "kind": kind,
                "started_on": started,
                "concluded_on": concluded,
                "outcome": outcome,
                "reward_level": rng.choice(_REWARDS) if outcome == "commended" else None,
                "discipline_level": rng.choice(_DISCIPLINES) if outcome == "disciplined" else None,
                "follow_up_due": due,
                "resolved_on": resolved,
                "findings": _FINDINGS[outcome],
                "import_batch_id": batch_id,
            }
        )

    years = max(1, round((period.end - period.start).days / 365))
    for org in orgs:
        for _ in range(years // 2 + (1 if rng.random() < 0.5 else 0)):
            body = rng.choice(("Ban Thường vụ Huyện ủy", "Ủy ban Kiểm tra Huyện ủy"))
            add(org, None, body, "inspection" if rng.random() < 0.55 else "supervision")
        if org.kind == "party_committee":
            for _ in range(years * 2):
                body = rng.choice(("Ban Thường vụ Đảng ủy cơ sở", "Ủy ban Kiểm tra Đảng ủy cơ sở"))
                add(org, rng.choice(org.cells), body, "supervision" if rng.random() < 0.6 else "inspection")
    _ensure_every_outcome(rows, period=period)
    return rows


def _ensure_every_outcome(rows: list[dict[str, Any]], *, period: _Period) -> None:
    """A small district could miss an outcome by chance; the demo must show each, plus an overdue and a resolved
    follow-up."""
    if not rows:
        return
    for outcome, row in zip(("commended", "satisfactory", "correction_required", "disciplined"), rows, strict=False):
        if not any(r["outcome"] == outcome for r in rows):
            row["outcome"] = outcome
            row["findings"] = _FINDINGS[outcome]
            row["reward_level"] = _REWARDS[0] if outcome == "commended" else None
            row["discipline_level"] = _DISCIPLINES[0] if outcome == "disciplined" else None
            row["follow_up_due"] = row["resolved_on"] = None
            if outcome in ("correction_required", "disciplined"):
                row["follow_up_due"] = row["concluded_on"] + dt.timedelta(days=60)
    for kind in ("inspection", "supervision"):
        if not any(r["kind"] == kind for r in rows):
            rows[-1]["kind"] = kind
    corrections = [r for r in rows if r["follow_up_due"] is not None and r["follow_up_due"] < period.as_of]
    if corrections and not any(r["resolved_on"] is None for r in corrections):
        corrections[-1]["resolved_on"] = None
    if corrections and not any(r["resolved_on"] is not None for r in corrections):
        corrections[0]["resolved_on"] = corrections[0]["follow_up_due"]


_LEVEL_WEIGHTS = {
    "strong": (0.30, 0.62, 0.08, 0.0),
    "usual": (0.15, 0.68, 0.15, 0.02),
    "weak": (0.02, 0.40, 0.45, 0.13),
}


def _ratings(
    orgs: Sequence[_Org],
    habits: dict[int, _Habits],
    *,
    seed: int,
    district: DistrictShape,
    period: _Period,
    batch_id: int,
) -> list[dict[str, Any]]:
    """Every organisation and every committee cell active at the end of each finished year."""
    rng = random.Random(f"{seed}/{district.code}/ratings")
    levels = ("excellent", "good", "complete", "not_complete")
    rows: list[dict[str, Any]] = []

    def level(rate: float) -> str:
        key = "strong" if rate >= 0.91 else "usual" if rate >= 0.85 else "weak"
        return rng.choices(levels, _LEVEL_WEIGHTS[key])[0]

    for year in range(period.start.year, period.as_of.year):
        year_end = dt.date(year, 12, 31)
        for org in orgs:
            rates = [habits[c.id].rate for c in org.cells if _active(c, year_end)]
            org_rate = sum(rates) / len(rates) if rates else 0.85
            rows.append(
                {
                    "year": year,
                    "organisation_id": org.id,
                    "cell_id": None,
                    "level": level(org_rate),
                    "scheme": "annual",
                    "import_batch_id": batch_id,
                }
            )
            if org.kind != "party_committee":
                continue
            for cell in org.cells:
                if _active(cell, year_end):
                    rows.append(
                        {
                            "year": year,
                            "organisation_id": org.id,
                            "cell_id": cell.id,
                            "level": level(habits[cell.id].rate),
                            "scheme": "annual",
                            "import_batch_id": batch_id,
                        }
                    )
    present = {r["level"] for r in rows}
    for wanted, row in zip(levels, rows[::7], strict=False):
        if wanted not in present:
            row["level"] = wanted
    return rows


# --------------------------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------------------------


def _period(as_of: dt.date, years: int) -> _Period:
    last = Month.of(as_of) - 1
    return _Period(as_of=as_of, first=last - (12 * years - 1), last=last)


def _insert_returning_ids(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        result = conn.execute(insert(table).returning(table.id, sort_by_parameter_order=True), chunk)
        ids.extend(int(row[0]) for row in result)
    return ids


def _insert_chunks(conn: Connection, table: Any, rows: Iterable[dict[str, Any]]) -> int:
    """Insert a stream of rows: COPY on PostgreSQL (one round trip), Core executemany in chunks elsewhere."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        return _copy_rows(conn, SQLModel.metadata.tables[str(table.__tablename__)], rows)
    written = 0
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            conn.execute(insert(table), chunk)
            written += len(chunk)
            chunk = []
    if chunk:
        conn.execute(insert(table), chunk)
        written += len(chunk)
    return written


def _copy_rows(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """COPY rows into `table` through the connection's own psycopg connection, inside the open transaction."""
    from psycopg import sql  # noqa: PLC0415  (only needed, and only installed for, PostgreSQL)

    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = list(first)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    written = 0
    driver_connection = conn.connection.driver_connection
    assert driver_connection is not None
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in itertools.chain((first,), iterator):
            copy.write_row([row[c] for c in columns])
            written += 1
    return written


def _write_units(conn: Connection, district: DistrictShape, orgs: list[_Org]) -> dict[str, int]:
    """Insert the communes, organisations and cells of one district and give the records their ids."""
    commune_ids = _insert_returning_ids(
        conn,
        Commune,
        [
            {"name": name, "code": code, "district": district.name, "province": district.province}
            for name, code in zip(district.communes, _commune_codes(district), strict=True)
        ],
    )
    org_ids = _insert_returning_ids(
        conn,
        Organisation,
        [
            {
                "name": org.name,
                "kind": org.kind,
                "sector": org.sector,
                "commune_id": commune_ids[org.commune],
                "active_from": HISTORY_START,
            }
            for org in orgs
        ],
    )
    for org, org_id in zip(orgs, org_ids, strict=True):
        org.id = org_id
    cells = [cell for org in orgs for cell in org.cells]
    cell_ids = _insert_returning_ids(
        conn,
        Cell,
        [
            {
                "name": cell.name,
                "organisation_id": cell.org.id,
                "kind": cell.kind,
                "meeting_day": cell.meeting_day,
                "members": cell.members,
                "active_from": cell.active_from,
                "active_to": cell.active_to,
            }
            for cell in cells
        ],
    )
    for cell, cell_id in zip(cells, cell_ids, strict=True):
        cell.id = cell_id
    return {"commune": len(commune_ids), "organisation": len(org_ids), "cell": len(cell_ids)}


def _district_meetings(
    cells: Sequence[_Cell],
    habits: dict[int, _Habits],
    *,
    seed: int,
    district: DistrictShape,
    period: _Period,
    topic_ids: Sequence[int],
    batch_id: int,
) -> Iterator[dict[str, Any]]:
    """The meetings of every cell of a district; fills `habits` (cell id -> habits) for the ratings."""
    n_months = period.last.index - period.first.index + 1
    candidates = [c for c in cells if not c.anchor and c.active_to is None and c.active_from == HISTORY_START]
    silent_rng = random.Random(f"{seed}/{district.code}/silent")
    silent = {c.id for c in silent_rng.sample(candidates, min(3, len(candidates)))}
    village_weights = [t[3] for t in TOPICS]
    other_weights = [t[4] for t in TOPICS]
    for cell in cells:
        rng = random.Random(f"{seed}/{district.code}/{cell.org.name}/{cell.name}")
        habits[cell.id] = _habits(cell, rng, n_months=n_months, silent=cell.id in silent)
        yield from _meetings_of(
            cell,
            habits[cell.id],
            rng,
            period=period,
            topic_ids=topic_ids,
            topic_weights=village_weights if cell.kind == "village" else other_weights,
            batch_id=batch_id,
        )


def generate_demo(
    engine: Engine,
    *,
    as_of: dt.date | None = None,
    seed: int = DEFAULT_SEED,
    scale: str = "district",
    replace: bool = False,
    after_reform: bool = False,
) -> dict[str, int]:
    """Write the demo dataset for `scale` (schema created if missing), in one transaction.

    With `after_reform` (the district only), Hậu Lộc's communes are merged on 1 July 2025 as the reform did
    (`data_access.demo_reform`); without it the district is the source article's, whose figures the tests pin.

    With `replace`, the data tables are emptied first in the same transaction, so a failure keeps the old data.
    Returns the number of rows written per table. The same `seed` and `as_of` always give the same rows.
    """
    shape = demo_shape(scale)
    if after_reform and scale != "district":
        raise UserError("--after-reform applies to the district demo (--scale district)")
    if scale == "national" and engine.dialect.name != "postgresql":
        raise UserError("the national demo (~17 million meetings) is for PostgreSQL; use --scale province on SQLite")
    as_of = as_of or dt.date.today()
    period = _period(as_of, shape.years)
    init_db(engine)
    written = dict.fromkeys(
        ("importbatch", "topic", "commune", "organisation", "cell", "meeting", "inspection", "rating"), 0
    )
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # one COPY of a province's meetings outlasts the app's 15 s limit
            conn.execute(text("SET LOCAL statement_timeout = 0"))
        if replace:
            _clear_data(conn)
        batch_id = conn.execute(
            insert(ImportBatch).returning(SQLModel.metadata.tables["importbatch"].c.id),
            {
                "file_name": f"demo:{scale}:seed={seed}:as_of={as_of.isoformat()}"
                + (":after-reform" if after_reform else ""),
                "sha256": hashlib.sha256(f"demo/{scale}/{seed}/{as_of.isoformat()}".encode()).hexdigest(),
                "kind": "demo",
                "imported_by": "demo generator",
                # sqlmodel 0.0.50 refuses naive datetimes (the model's default factory gives one)
                "imported_at": dt.datetime.now(dt.UTC),
            },
        ).scalar_one()
        written["importbatch"] = 1
        topic_ids = _insert_returning_ids(
            conn, Topic, [{"name_vi": vi, "name_en": en, "category": cat} for vi, en, cat, _, _ in TOPICS]
        )
        written["topic"] = len(topic_ids)
        for district in shape.districts:
            orgs = _build_district(district, seed=seed, period=period)
            for table, rows in _write_units(conn, district, orgs).items():
                written[table] += rows
            cells = [cell for org in orgs for cell in org.cells]
            habits: dict[int, _Habits] = {}
            meetings = _district_meetings(
                cells, habits, seed=seed, district=district, period=period, topic_ids=topic_ids, batch_id=batch_id
            )
            # who sent what, and when (data_access.demo_reporting): one commune stopped, two were late
            stored = conn.execute(
                select(Commune.id, Commune.name, Commune.code).where(Commune.district == district.name)  # type: ignore[call-overload]
            ).all()
            names = {int(i): name for i, name, _ in stored}
            codes = {int(i): code for i, _, code in stored}
            ids = {name: commune_id for commune_id, name in names.items()}
            commune_of_cell = {
                c.id: (ids[district.communes[c.org.commune]], district.communes[c.org.commune]) for c in cells
            }
            plan = demo_reporting.plan(
                district.communes,
                anchor=district.anchor.commune if district.anchor else None,
                seed=seed,
                district_code=district.code,
                as_of=as_of,
                deadline_day=reporting_deadline_day(),
            )
            coverage = Coverage()
            sent = demo_reporting.kept_meetings(meetings, commune_of_cell, plan, coverage)
            written["meeting"] += _insert_chunks(conn, Meeting, sent)
            receipts = demo_reporting.reporting_rows(
                coverage, names, codes, plan, seed=seed, district_code=district.code, batch_id=batch_id
            )
            _insert_chunks(conn, Reporting, receipts)
            inspections = _inspections(orgs, seed=seed, district=district, period=period, batch_id=batch_id)
            written["inspection"] += _insert_chunks(conn, Inspection, inspections)
            ratings = _ratings(orgs, habits, seed=seed, district=district, period=period, batch_id=batch_id)
            written["rating"] += _insert_chunks(conn, Rating, ratings)
        if after_reform:
            for table, rows in demo_reform.apply_reform(conn, as_of=as_of).items():
                written[table] += rows
        aggregates.refresh(conn)  # every derived table, in step with the meetings in this same transaction
        total = sum(written.values()) - 1
        conn.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(rows=total, rows_new=total))
    return written


# Child tables first, so foreign keys never point at a deleted row.
_DATA_TABLES = (
    *aggregates.DERIVED,
    Reporting,
    Meeting,
    Inspection,
    Rating,
    Cell,
    Organisation,
    Topic,
    ImportBatch,
    Commune,
)


def _clear_data(conn: Connection) -> None:
    scoped = conn.execute(select(func.count()).select_from(User).where(User.commune_id.is_not(None))).scalar_one()  # type: ignore[union-attr]
    if scoped:
        raise UserError(f"{scoped} commune account(s) refer to communes; remove or re-scope them first")
    for table in _DATA_TABLES:
        conn.execute(delete(table))


def clear_data(engine: Engine) -> None:
    """Empty the data tables (accounts stay). Refused while commune accounts point at communes."""
    with engine.begin() as conn:
        _clear_data(conn)


def organisation_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Organisation)).scalar_one())


def ensure_demo_database(engine: Engine, *, as_of: dt.date | None = None) -> bool:
    """Create the schema and the demo district if the database has no organisations yet; True if it generated.

    Two processes starting at once may both try: the loser's transaction fails on the unique names and rolls back,
    and it finds the winner's data.
    """
    if has_schema(engine) and organisation_count(engine) > 0:
        return False
    init_db(engine)
    try:
        generate_demo(engine, as_of=as_of)
    except IntegrityError:
        if organisation_count(engine) > 0:
            return False
        raise
    return True


__all__ = [
    "DEFAULT_SEED",
    "SCALES",
    "AnchorShape",
    "CommitteeShape",
    "DemoShape",
    "DistrictShape",
    "clear_data",
    "demo_shape",
    "ensure_demo_database",
    "generate_demo",
]
