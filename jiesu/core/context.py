from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("jiesu_request_id", default="")
