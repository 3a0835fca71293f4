"""Builders for online submission tests: a ward offering birth registration
(national code 1.001193, whose e-form the data migration seeds) with its three
components, a citizen account, and small valid files."""

from __future__ import annotations

import importlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Component
from motcua.citizens.models import Citizen
from tests.citizens.factories import make_citizen
from tests.dossiers.builders import World, build_world, vn

BIRTH = "1.001193"
MARITAL = "1.004873"
MON = vn(2025, 6, 2, 9)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "giay-chung-sinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf(name: str = "giay-chung-sinh.pdf") -> SimpleUploadedFile:
    """A text file renamed .pdf: refused by its content."""
    return SimpleUploadedFile(name, b"MZ not a pdf at all", "application/pdf")


@dataclass
class Online:
    world: World
    declaration: Component
    birth_certificate: Component
    identity_paper: Component

    @property
    def version(self) -> Any:
        return self.world.version

    @property
    def code(self) -> str:
        return self.world.procedure.code


def ensure_eforms() -> None:
    """The e-forms the data migration seeds (a browser test's flush between
    tests empties every table, migration data included)."""
    from motcua.online.models import EFormSchema

    seeds = importlib.import_module("motcua.online.migrations.0002_seed_eforms")
    for code, title, schema, basis in seeds.SEEDS:
        EFormSchema.objects.get_or_create(
            procedure_code=code,
            version=None,
            defaults={"title": title, "schema": schema, "legal_basis": basis},
        )


def build_online(code: str = BIRTH) -> Online:
    ensure_eforms()
    world = build_world(unit="same_day", value=0)
    world.procedure.code = code
    world.procedure.save(update_fields=["code"])
    world.version.name = "Đăng ký khai sinh"
    world.version.online_level = "full"
    world.version.save(update_fields=["name", "online_level"])
    declaration = Component.objects.create(
        version=world.version,
        position=1,
        name="Tờ khai đăng ký khai sinh (theo mẫu)",
        kind="original",
    )
    certificate = Component.objects.create(
        version=world.version,
        position=2,
        name="Giấy chứng sinh hoặc văn bản thay thế",
        kind="original",
    )
    identity = Component.objects.create(
        version=world.version,
        position=3,
        name="Giấy tờ tùy thân của người đi đăng ký",
        kind="shown",
    )
    return Online(world, declaration, certificate, identity)


def mother_citizen(**overrides: Any) -> Citizen:
    values: dict[str, Any] = {
        "full_name": "Trần Thị Bình",
        "identity": "048190001234",
        "email": "binh@example.vn",
    }
    values.update(overrides)
    citizen = make_citizen(**values)
    citizen.address = "12 Lê Lợi, phường Hòa Cường Nam"
    citizen.save(update_fields=["address"])
    return citizen


BIRTH_ANSWERS = {
    "child": {
        "full_name": "Nguyễn Minh Khang",
        "sex": "nam",
        "birth_date": "2025-05-20",
        "birth_place": "Bệnh viện Phụ sản – Nhi Đà Nẵng",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
    },
    "mother": {
        "full_name": "Trần Thị Bình",
        "birth_date": "1990-05-12",
        "id_number": "048190001234",
        "residence": "12 Lê Lợi, phường Hòa Cường Nam",
    },
    "father": {
        "full_name": "Nguyễn Văn Cường",
        "birth_date": "1988-03-01",
        "id_number": "048088004321",
        "residence": "12 Lê Lợi, phường Hòa Cường Nam",
    },
    "declarant": {"relationship": "mẹ"},
}


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
