"""The demo steps `jiesu demo` runs, in this order.

A step is a module with ``def load(ctx: jiesu.demo.context.DemoContext) -> None`` that is idempotent
(update_or_create by code or username). To add one, append its module path here.
"""

DEMO_STEPS: list[str] = [
    "jiesu.org.demo",
    "jiesu.catalog.demo",
    "jiesu.notify.demo",
    "jiesu.tickets.demo",
    "jiesu.knowledge.demo",
    "jiesu.intelligence.demo",
    "jiesu.calls.demo",  # after the tickets: the calls behind phone tickets link to them
    "jiesu.open311.demo",
    "jiesu.channels.demo",
    "jiesu.channels.demo_board",  # a web rating (a follow-up) before the figures' facts are built
    "jiesu.evaluation.demo_ladder",  # unit steps (约谈) before the figures' facts are built
    "jiesu.evaluation.demo_ranking",  # handled tickets of the past two months, their rankings closed
    "jiesu.evaluation.demo",  # after every step that adds tickets or calls: the figures' facts
    "jiesu.insights.demo",  # after every step that adds tickets: their hot issues
    "jiesu.insights.demo_task",  # a proactive task from a hot issue (refreshes the figures' facts for it)
    "jiesu.notify.demo_outbox",  # keep last: gives the messages the steps above caused their demo states
]
