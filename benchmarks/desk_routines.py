"""Each role's daily routine in Chromium on 10 typical calls of the demo city: time and inputs per task.

    .venv/bin/python benchmarks/desk_routines.py [--calls 10] [--wpm 80]

A scratch demo city (SQLite in a temporary JIESU_VAR_DIR, `jiesu migrate` + `jiesu demo`), gunicorn (gthread) on
127.0.0.1, and headless Chromium (Playwright, 1366×768) replaying, with the keys and clicks a person uses:

- operator: registers each call on the intake screen and sends it to dispatch (转派单);
- dispatcher: confirms the catalog's proposal for half the calls one by one (open, confirm, back) and dispatches
  the other half as one selection (x on each row, Shift+D, confirm);
- handler: the lead unit's handler signs each ticket and replies (the reply text is pasted);
- supervisor: approves each reply (审核通过) — not a target of issue 16, reported for the loop's sake;
- visitor: records the follow-up call (reached, resolved, satisfied), then closes the ticket.

An *input* is one key press or click besides the spoken or written text (the caller's number, name, title,
content, address, the reply): those are pasted, and their typing time at --wpm Chinese characters a minute is
reported apart (an operator types while the caller speaks). Words typed to find a category count one input
per character (with an input method it is more). Time is wall time from the first input to the page confirming
the save. Prints JSON: per role the inputs and seconds per ticket (mean, max) and the slowest steps.
Loopback only; bounded; stops its server. Needs gunicorn (a main dependency: `pip install -e .`) and Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PASSWORD = "jiesu-demo"

# Ten typical calls of the demo city: (Alt+digit kind, category word, phone, name, title, content, address)
CALLS = [
    ("3", "暖气不热", "13904345501", "李女士", "阳光新城暖气不热", "阳光新城小区8号楼3单元暖气不热，室温只有十三度，家中有老人和婴儿。", "铁西区仁兴街道阳光新城小区8号楼3单元"),
    ("4", "突发停水", "13904345502", "王先生", "小区突然停水", "铁东区北门街道红旗小区从早上开始停水，没有任何通知，家里没法做饭。", "铁东区红旗小区5号楼"),
    ("3", "装修噪声", "13904345503", "张女士", "夜间装修噪声", "楼上邻居每天晚上十点以后还在装修，电钻声音很大，孩子没法睡觉。", "铁东区平东街道东风小区2号楼"),
    ("4", "违章建筑", "13904345504", "赵先生", "楼顶违章搭建", "铁东区新华小区7号楼楼顶有人搭建彩钢房，担心漏雨和安全问题。", "铁东区新华小区7号楼"),
    ("3", "物业收费", "13904345505", "刘女士", "物业乱收费", "铁东区锦绣小区物业要求每户多交两百元电梯维修费，没有公示明细。", "铁东区锦绣小区"),
    ("2", "企业拖欠工资", "13904345506", "孙先生", "工地拖欠工资", "在铁东区一处工地干了三个月，老板拖欠工资一万二千元一直不给。", "铁东区北山街道"),
    ("4", "占用消防通道", "13904345507", "周女士", "车辆堵塞消防通道", "铁东区幸福小区消防通道长期被私家车占用，消防车根本进不来。", "铁东区幸福小区"),
    ("1", "低保申请", "13904345508", "吴先生", "低保怎么申请", "家里两口人，我没有工作，想问城市低保需要什么材料，到哪里办理。", "铁东区平东街道"),
    ("3", "医疗服务态度", "13904345509", "郑女士", "医院服务态度差", "在市中心医院看病，挂号处工作人员态度很差，还不让问问题。", "铁东区中心医院"),
    ("3", "管网跑冒滴漏", "13904345510", "冯先生", "楼道暖气管漏水", "铁西区阳光新城小区5号楼楼道暖气管道漏水，地面已经结冰。", "铁西区仁兴街道阳光新城小区5号楼"),
]
HANDLERS = {"heating": "handler-heating", "water": "handler-water", "urban": "handler-urban",
            "housing": "handler-housing", "civil": "handler-civil", "hrss": "handler-hrss",
            "health": "handler-health", "traffic": "handler-traffic"}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Inputs:
    """Counts the key presses and clicks of one task (text pasted apart), and times its steps."""

    def __init__(self, page: Any):
        self.page, self.count, self.text_chars, self.steps = page, 0, 0, {}
        self.started = time.perf_counter()

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.count += 1

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.count += 1

    def text(self, value: str) -> None:
        self.page.keyboard.insert_text(value)
        self.text_chars += len(value)

    def wait(self, step: str, fn: Any, *args: Any, **kwargs: Any) -> None:
        t = time.perf_counter()
        fn(*args, **kwargs)
        self.steps[step] = self.steps.get(step, 0.0) + time.perf_counter() - t

    def seconds(self) -> float:
        return time.perf_counter() - self.started


def scratch_city(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput", "-v0"], ["demo"]):
        log(f"jiesu {' '.join(command)} …")
        subprocess.run([str(BIN / "jiesu"), *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    cmd = [str(BIN / "gunicorn"), "jiesu.wsgi:application", "-b", f"127.0.0.1:{port}", "-k", "gthread", "-w", "2",
           "--threads", "8", "--log-level", "warning"]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not start")


def login(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=base,
                                  bypass_csp=True)  # lets Playwright evaluate its wait conditions
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def select_row(task: Inputs, number: str) -> None:
    """Moves the current row to ``number`` with j/k, as the person would."""
    page = task.page
    page.wait_for_selector(f"#queue-list tr[data-number='{number}']")
    numbers = page.eval_on_selector_all("#queue-list tbody tr[data-number]", "rows => rows.map(r => r.dataset.number)")
    current = page.get_attribute("tr.row-current", "data-number") if page.locator("tr.row-current").count() else None
    at = numbers.index(current) if current in numbers else -1
    target = numbers.index(number)
    if at < 0:
        task.press("j")
        at = 0
    task.press("j" if target > at else "k", abs(target - at))


def next_in_queue(page: Any, numbers: list[str]) -> str:
    """The first of ``numbers`` in the queue's own order (the queue puts supervised tickets first)."""
    page.wait_for_selector("#queue-list tbody tr[data-number]")
    shown = page.eval_on_selector_all("#queue-list tbody tr[data-number]", "rows => rows.map(r => r.dataset.number)")
    return next((n for n in shown if n in numbers), numbers[0])


def record(results: dict[str, list[dict[str, Any]]], role: str, task: Inputs, number: str, **extra: Any) -> None:
    results[role].append({"ticket": number, "inputs": task.count, "seconds": round(task.seconds(), 2),
                          "text_chars": task.text_chars, "steps": {k: round(v, 2) for k, v in task.steps.items()},
                          **extra})
    log(f"  {role:12} {number}  {task.count:2d} inputs  {task.seconds():5.1f} s")


def operator(browser: Any, base: str, results: dict[str, list[dict[str, Any]]], calls: list[tuple[str, ...]],
             ) -> list[str]:
    page = login(browser, base, "operator")
    page.goto("/intake/")
    numbers = []
    for kind, word, phone, name, title, content, address in calls:
        page.wait_for_function("document.activeElement && document.activeElement.id === 'id_requester_phone'")
        task = Inputs(page)
        task.text(phone)
        task.press("Tab")
        task.text(name)
        task.press(f"Alt+{kind}")
        task.press("Alt+T")
        task.text(title)
        task.press("Tab")
        task.text(content)
        task.press("Alt+A")
        task.text(address)
        task.wait("place found", page.wait_for_function, "document.querySelector('#id_region').value.length >= 6")
        task.press("Alt+K")
        for char in word:
            page.keyboard.insert_text(char)
            task.count += 1
        task.press("Enter")
        task.wait("category found", page.wait_for_function,
                  "document.querySelector('#id_category').value.length >= 4")
        before = numbers[-1] if numbers else ""
        task.press("Alt+S")
        task.wait("saved", page.wait_for_function,
                  f"(document.querySelector('#done-number') || {{}}).textContent?.trim() > '{before}'")
        number = page.inner_text("#done-number").strip()
        numbers.append(number)
        record(results, "operator", task, number)
    page.context.close()
    return numbers


def dispatcher(browser: Any, base: str, results: dict[str, list[dict[str, Any]]], numbers: list[str]) -> None:
    page = login(browser, base, "dispatcher")
    desk = "/desk/dispatch/?queue=dispatching&sort=newest"
    newest_first = list(reversed(numbers))  # the queue shows them so (sort=newest): work from the top down
    one_by_one, selection = newest_first[: len(numbers) // 2], newest_first[len(numbers) // 2:]
    page.goto(desk)
    for number in one_by_one:
        page.wait_for_selector("tr.row-current")
        task = Inputs(page)
        select_row(task, number)
        task.press("Enter")
        task.wait("ticket opened", page.wait_for_selector, "#action-dispatch[data-ready] [data-submit]:focus")
        task.press("Enter")
        task.wait("dispatched", page.wait_for_selector, ".alert-success")
        task.press("q")
        task.wait("back at the desk", page.wait_for_selector, "tr.row-current")
        record(results, "dispatcher", task, number, mode="one by one")
    page.on("dialog", lambda dialog: dialog.accept())
    task = Inputs(page)
    for number in selection:
        select_row(task, number)
        task.press("x")
    task.press("Shift+D")
    task.count += 1  # the confirmation (Enter on the dialog)
    task.wait("selection dispatched", page.wait_for_selector, "#bulk-result")
    ok = page.locator("#bulk-result li.ok").count()
    per = {"inputs": round(task.count / len(selection), 2), "seconds": round(task.seconds() / len(selection), 2)}
    results["dispatcher_selection"].append({"tickets": len(selection), "dispatched": ok, "inputs": task.count,
                                            "seconds": round(task.seconds(), 2), "per_ticket": per,
                                            "steps": {k: round(v, 2) for k, v in task.steps.items()}})
    log(f"  selection    {len(selection)} tickets  {task.count} inputs  {task.seconds():.1f} s  ({ok} dispatched)")
    page.context.close()


def handler(browser: Any, base: str, results: dict[str, list[dict[str, Any]]], tickets: list[tuple[str, str]]) -> None:
    by_user: dict[str, list[str]] = defaultdict(list)
    for number, unit in tickets:
        by_user[HANDLERS.get(unit, "")].append(number)
    for username, numbers in by_user.items():
        if not username:
            log(f"  no demo handler for {numbers}; skipped")
            continue
        page = login(browser, base, username)
        remaining = list(numbers)
        while remaining:
            page.goto("/desk/unit/?queue=to_sign")
            number = next_in_queue(page, remaining)  # a handler works down the queue from its top
            remaining.remove(number)
            task = Inputs(page)
            select_row(task, number)
            task.press("Enter")
            task.wait("ticket opened", page.wait_for_selector, "#action-sign[data-ready] [data-submit]:focus")
            task.press("Enter")
            task.wait("signed", page.wait_for_selector, ".alert-success:has-text('签收')")
            task.press("r")
            task.text("已到现场核实并处置完毕，已向诉求人说明处理结果。")
            task.press("Control+Enter")
            task.wait("replied", page.wait_for_selector, ".alert-success:has-text('答复')")
            record(results, "handler", task, number, unit=username)
        page.context.close()


def supervisor(browser: Any, base: str, results: dict[str, list[dict[str, Any]]], numbers: list[str]) -> None:
    page = login(browser, base, "supervisor")
    for number in numbers:
        page.goto("/desk/supervision/?queue=reply_review&sort=newest")
        task = Inputs(page)
        select_row(task, number)
        task.press("Enter")
        task.wait("ticket opened", page.wait_for_selector, "#action-review_reply input[value=approve]:focus")
        task.press("Space")
        task.press("Enter")
        task.wait("approved", page.wait_for_selector, ".alert-success")
        record(results, "supervisor", task, number)
    page.context.close()


def visitor(browser: Any, base: str, results: dict[str, list[dict[str, Any]]], numbers: list[str]) -> None:
    page = login(browser, base, "visitor")
    for number in numbers:
        page.goto("/desk/followup/?queue=visiting&sort=newest")
        task = Inputs(page)
        select_row(task, number)
        task.press("Enter")
        task.wait("ticket opened", page.wait_for_selector, "#action-visit[open]")
        task.click("#action-visit input[name=outcome][value=reached]")
        task.click("#action-visit input[name=resolution][value=resolved]")
        task.click("#action-visit input[name=satisfaction][value=satisfied]")
        task.click("#action-visit [data-submit]")
        task.wait("visit recorded", page.wait_for_selector, ".alert-success")
        visit_inputs, visit_seconds = task.count, task.seconds()
        task.press("b")
        task.press("Enter")
        task.wait("closed", page.wait_for_selector, ".alert-success:has-text('办结')")
        record(results, "visitor", task, number, visit_inputs=visit_inputs, visit_seconds=round(visit_seconds, 2))
    page.context.close()


def summary(rows: list[dict[str, Any]], key: str = "inputs") -> dict[str, Any]:
    values = [r[key] for r in rows]
    return {"n": len(values), "mean": round(statistics.mean(values), 2), "max": max(values)} if values else {}


def slowest(rows: list[dict[str, Any]]) -> list[tuple[str, float]]:
    total: dict[str, float] = defaultdict(float)
    for r in rows:
        for step, seconds in r.get("steps", {}).items():
            total[step] += seconds / max(1, len(rows))
    return sorted(((k, round(v, 2)) for k, v in total.items()), key=lambda kv: -kv[1])[:3]


def lead_units(env: dict[str, str], numbers: list[str]) -> list[tuple[str, str]]:
    code = ("import json, sys; from jiesu.tickets.models import Ticket; "
            f"print(json.dumps([[t.number, t.lead_unit.code if t.lead_unit else ''] for t in "
            f"Ticket.objects.filter(number__in={numbers!r}).select_related('lead_unit')]))")
    out = subprocess.run([str(BIN / "jiesu"), "shell", "-c", code], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    found = dict(json.loads(out.strip().splitlines()[-1]))
    return [(n, found.get(n, "")) for n in numbers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--wpm", type=int, default=80, help="Chinese characters an operator types a minute")
    parser.add_argument("--port", type=int, default=8093)
    args = parser.parse_args()
    if not (BIN / "gunicorn").exists():
        sys.exit("gunicorn is missing: .venv/bin/pip install -e .")
    from playwright.sync_api import sync_playwright

    var = tempfile.mkdtemp(prefix="jiesu-routines-")
    env = {**os.environ, "JIESU_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "jiesu.settings"}
    env.pop("JIESU_DATABASE_URL", None)
    server = None
    results: dict[str, list[dict[str, Any]]] = defaultdict(list)
    try:
        scratch_city(env)
        server = start_server(env, args.port)
        base = f"http://127.0.0.1:{args.port}"
        calls = CALLS[: args.calls]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 headless=True, args=["--no-sandbox"])
            log("operator registers the calls …")
            numbers = operator(browser, base, results, calls)
            log("dispatcher …")
            dispatcher(browser, base, results, numbers)
            log("handlers …")
            handler(browser, base, results, lead_units(env, numbers))
            replied = [r["ticket"] for r in results["handler"]]
            log("supervisor …")
            in_queue_order = sorted(replied, reverse=True)  # newest first, as the queues are sorted here
            supervisor(browser, base, results, in_queue_order)
            log("visitor …")
            visitor(browser, base, results, in_queue_order)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(var, ignore_errors=True)
    typing = [round(r["text_chars"] / args.wpm * 60, 1) for r in results["operator"]]
    out = {
        "calls": len(results["operator"]), "server": "gunicorn gthread -w 2 --threads 8, SQLite",
        "operator": {"inputs": summary(results["operator"]), "seconds": summary(results["operator"], "seconds"),
                     "typing_seconds_at_wpm": {"wpm": args.wpm, "mean": round(statistics.mean(typing), 1),
                                               "max": max(typing)},
                     "slowest_steps": slowest(results["operator"])},
        "dispatcher_one_by_one": {"inputs": summary(results["dispatcher"]),
                                  "seconds": summary(results["dispatcher"], "seconds"),
                                  "slowest_steps": slowest(results["dispatcher"])},
        "dispatcher_selection": results["dispatcher_selection"],
        "handler_sign_and_reply": {"inputs": summary(results["handler"]),
                                   "seconds": summary(results["handler"], "seconds"),
                                   "slowest_steps": slowest(results["handler"])},
        "supervisor_approve": {"inputs": summary(results["supervisor"]),
                               "seconds": summary(results["supervisor"], "seconds")},
        "visitor_visit": {"inputs": summary(results["visitor"], "visit_inputs"),
                          "seconds": summary(results["visitor"], "visit_seconds")},
        "visitor_visit_and_close": {"inputs": summary(results["visitor"]),
                                    "seconds": summary(results["visitor"], "seconds"),
                                    "slowest_steps": slowest(results["visitor"])},
        "tasks": results,
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
