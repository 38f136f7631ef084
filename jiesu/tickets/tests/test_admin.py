import pytest

from jiesu.org.tests.factories import TEST_PASSWORD, UserFactory
from jiesu.tickets import services

pytestmark = pytest.mark.django_db


def test_admin_shows_tickets_but_never_personal_data_nor_an_edit_form(city, client):
    t = services.accept(city.operator, city.ticket_data())
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.login(username=admin.username, password=TEST_PASSWORD)
    page = client.get("/admin/tickets/ticket/")
    assert page.status_code == 200 and t.number in page.content.decode()
    detail = client.get(f"/admin/tickets/ticket/{t.pk}/change/").content.decode()
    assert "13812345678" not in detail and "张三" not in detail
    assert client.post(f"/admin/tickets/ticket/{t.pk}/delete/").status_code == 403
