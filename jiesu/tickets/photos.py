"""Where and when a photo of the handling was taken: the photo's own EXIF (GPS position, time of shooting) if it
has them, else the position the handler's device gave when uploading. Pillow reads the EXIF; nothing is sent
anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
DATETIME_ORIGINAL = 0x9003
LAT_REF, LAT, LON_REF, LON = 1, 2, 3, 4


@dataclass(frozen=True)
class Place:
    latitude: Decimal
    longitude: Decimal
    source: str  # "exif" or "device"


def _degrees(value: Any, ref: str) -> Decimal:
    d, m, s = (Decimal(str(float(x))) for x in value)
    result = d + m / 60 + s / 3600
    return -result if ref in ("S", "W") else result


def _checked(lat: Decimal, lon: Decimal, source: str) -> Place | None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return Place(lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001")), source)


def read_exif(upload: Any) -> tuple[Place | None, datetime | None]:
    """(position, time taken) from an image's EXIF; (None, None) when it has none or is not an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            exif = image.getexif()
            gps, details = exif.get_ifd(GPS_IFD), exif.get_ifd(EXIF_IFD)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None, None
    finally:
        upload.seek(0)
    place = None
    try:
        if gps.get(LAT) and gps.get(LON):
            place = _checked(_degrees(gps[LAT], gps.get(LAT_REF, "N")), _degrees(gps[LON], gps.get(LON_REF, "E")),
                             "exif")
    except (TypeError, ValueError, ZeroDivisionError, InvalidOperation):
        place = None
    return place, _taken_at(details.get(DATETIME_ORIGINAL))


def _taken_at(raw: Any) -> datetime | None:
    try:
        return timezone.make_aware(datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S"))
    except (TypeError, ValueError):
        return None


def device_place(latitude: str | None, longitude: str | None) -> Place | None:
    """The position the browser reported, if it is one; anything else is ignored, never an error."""
    try:
        return _checked(Decimal(str(latitude)), Decimal(str(longitude)), "device") if latitude and longitude else None
    except InvalidOperation:
        return None
