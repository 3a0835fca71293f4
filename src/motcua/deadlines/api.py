"""Public calendar API: due dates and the year's working calendar, no login.

Peers' users keep asking "where is the API for working days?"; here it is. Every
bad input is a 400 with ``{"code", "message"}`` (see ``motcua.core.api``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import ErrorSerializer

from .engine import (
    UNITS_WITH_DURATION,
    Unit,
    parse_duration,
)
from .parsing import parse_start, parse_year
from .services import calendar_for, calendar_on, get_agency


class DueSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField(allow_null=True)
    start = serializers.DateTimeField()
    clock_start = serializers.DateTimeField(
        help_text=(
            "Thời điểm bắt đầu tính thời hạn (giờ làm việc kế tiếp nếu nhận ngoài giờ)."
        )
    )
    unit = serializers.ChoiceField(choices=[u.value for u in Unit])
    duration = serializers.FloatField(allow_null=True)
    agency = serializers.CharField(allow_null=True)


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    working = serializers.BooleanField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=["law", "substitute", "override"]
    )
    reason = serializers.CharField(allow_blank=True)


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    agency = serializers.CharField(allow_null=True)
    working_hours = serializers.CharField()
    working_days = serializers.IntegerField()
    days = CalendarDaySerializer(many=True)


AGENCY_PARAM = OpenApiParameter(
    "agency",
    OpenApiTypes.STR,
    description="Mã cơ quan (QCVN 102:2016); bỏ trống để dùng lịch quốc gia.",
)


def _number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def _agency_from(request: Request) -> Any:
    code = request.query_params.get("agency")
    return get_agency(code) if code else None


class DueView(APIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    @extend_schema(
        summary="Tính hạn giải quyết hồ sơ",
        description=(
            "Hạn trả kết quả cho một hồ sơ tiếp nhận lúc `start`, theo lịch làm việc "
            "(ngày nghỉ lễ, nghỉ bù, ngày làm bù, giờ làm việc của cơ quan). "
            "`start` không có múi giờ được hiểu là giờ Việt Nam."
        ),
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATETIME,
                required=True,
                description="Thời điểm tiếp nhận (ISO 8601; không múi giờ: giờ VN).",
            ),
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                required=True,
                enum=[u.value for u in Unit],
                description="Đơn vị thời hạn giải quyết.",
            ),
            OpenApiParameter(
                "duration",
                OpenApiTypes.NUMBER,
                description="Bắt buộc với working_hours, working_days, calendar_days.",
            ),
            AGENCY_PARAM,
        ],
        responses={200: DueSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        examples=[
            OpenApiExample(
                "Trong ngày, nhận sau 15 giờ",
                value={
                    "due_at": "2025-04-26T17:00:00+07:00",
                    "start": "2025-04-25T15:30:00+07:00",
                    "clock_start": "2025-04-25T15:30:00+07:00",
                    "unit": "same_day",
                    "duration": None,
                    "agency": None,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        start = parse_start(params.get("start"))
        unit = Unit.parse(params.get("unit") or "")
        raw_duration = params.get("duration")
        duration: Fraction | None = None
        if unit in UNITS_WITH_DURATION or raw_duration not in (None, ""):
            checked_as = unit if unit in UNITS_WITH_DURATION else Unit.WORKING_HOURS
            duration = parse_duration(raw_duration, checked_as)
        agency = _agency_from(request)
        calendar = calendar_on(agency, start)  # the cut-off of that day's law
        due_at = calendar.due(start, unit, duration)
        return Response(
            {
                "due_at": due_at.isoformat() if due_at else None,
                "start": start.isoformat(),
                "clock_start": calendar.start_of(start).isoformat(),
                "unit": unit.value,
                "duration": _number(duration) if duration is not None else None,
                "agency": agency.code if agency else None,
            }
        )


class DaysView(APIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    @extend_schema(
        summary="Ngày nghỉ và ngày làm bù trong năm",
        description=(
            "Các ngày nghỉ lễ, Tết, nghỉ bù, ngày làm việc bù và ngày do quản trị "
            "điều chỉnh trong năm, mỗi ngày kèm tên tiếng Việt và nguồn "
            "(`law`, `substitute`, `override`). Thứ Bảy, Chủ nhật thông thường "
            "không được liệt kê."
        ),
        parameters=[
            OpenApiParameter(
                "year", OpenApiTypes.INT, required=True, description="Năm, 2000–2100."
            ),
            AGENCY_PARAM,
        ],
        responses={200: YearSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        year = parse_year(request.query_params.get("year"))
        agency = _agency_from(request)
        calendar = calendar_for(agency)
        days = [
            {
                "date": d.date.isoformat(),
                "working": d.working,
                "name": d.name,
                "name_en": d.name_en,
                "source": d.source.value,
                "reason": d.reason,
            }
            for d in calendar.exceptions_in_year(year)
        ]
        return Response(
            {
                "year": year,
                "agency": agency.code if agency else None,
                "working_hours": str(calendar.hours),
                "working_days": calendar.working_days_in_year(year),
                "days": days,
            }
        )
