"""Development gateways: the SMS is printed (console) or appended to a day's file as a JSON line (file)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jiesu.core import clock
from jiesu.core.masking import mask_phone
from jiesu.notify.gateways.base import OutgoingSms, SendResult


class ConsoleSms:
    """The number is masked: standard output ends up in the server's log (journald), where no phone belongs."""

    name = "console"

    def send(self, sms: OutgoingSms) -> SendResult:
        sys.stdout.write(f"[短信 SMS → {mask_phone(sms.to)}] {sms.text}\n")
        sys.stdout.flush()
        return SendResult(provider_id=f"console-{sms.reference}")


class FileSms:
    name = "file"

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def send(self, sms: OutgoingSms) -> SendResult:
        self.directory.mkdir(parents=True, exist_ok=True)
        now = clock.now()
        line = {"at": now.isoformat(), "to": sms.to, "text": sms.text, "reference": sms.reference,
                "template_code": sms.template_code, "params": sms.params}
        with (self.directory / f"sms-{now:%Y%m%d}.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return SendResult(provider_id=f"file-{sms.reference}")
