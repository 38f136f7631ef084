import pytest

from jiesu.core.events import events_of
from jiesu.core.permissions import Role
from jiesu.org.models import Membership, Unit, User
from jiesu.org.tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    centre = UnitFactory(code="centre")
    client.force_login(UserFactory(role=Role.ADMIN, unit=centre, scope="city", is_staff=True, is_superuser=True))
    return client


def test_a_unit_without_history_can_be_deleted(admin_client):
    unit = UnitFactory(name="临时单位")
    response = admin_client.post(f"/admin/org/unit/{unit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_a_unit_with_staff_is_kept_and_the_admin_is_told_to_deactivate_it(admin_client):
    unit = UnitFactory(name="供热公司")
    MembershipFactory(unit=unit)
    response = admin_client.post(f"/admin/org/unit/{unit.pk}/delete/", {"post": "yes"}, follow=True)
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert "不能删除" in response.content.decode() and "停用" in response.content.decode()


def test_a_user_who_held_a_role_is_deactivated_not_deleted(admin_client):
    user = UserFactory(role="handler")
    admin_client.post(f"/admin/org/user/{user.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=user.pk).exists()
    response = admin_client.post("/admin/org/user/", {"action": "deactivate", "_selected_action": [user.pk]})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert [e.action for e in events_of("user", user.pk)] == ["deactivated"]


def test_bulk_delete_is_not_offered(admin_client):
    html = admin_client.get("/admin/org/unit/").content.decode()
    assert "delete_selected" not in html and "停用所选" in html


def test_the_unit_list_is_in_tree_order_and_searchable(admin_client):
    root = UnitFactory(code="gov", name="四平市人民政府")
    UnitFactory(code="heating", name="四平市供热公司", parent=root)
    html = admin_client.get("/admin/org/unit/?q=供热").content.decode()
    assert "四平市供热公司" in html and "└" in html


def test_adding_a_user_with_a_role_through_the_admin(admin_client):
    unit = UnitFactory(code="water")
    response = admin_client.post("/admin/org/user/add/", {
        "username": "wu", "display_name": "吴海燕", "password1": "a-long-password-1",
        "password2": "a-long-password-1", "usable_password": "true",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-0-unit": unit.pk, "memberships-0-role": "handler", "memberships-0-scope": "unit",
        "memberships-0-is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user__username="wu")
    assert membership.unit == unit
    [created] = events_of("user", membership.user_id)
    assert created.action == "created" and created.after["display_name"] == "吴海燕"
    assert "password" not in created.after
    assert events_of("membership", membership.pk).get().after["role"] == "handler"


def test_editing_a_unit_records_what_changed(admin_client):
    unit = UnitFactory(code="gas", name="燃气公司", kind="utility")
    response = admin_client.post(f"/admin/org/unit/{unit.pk}/change/", {
        "code": "gas", "name": "四平市燃气公司", "short_name": "", "kind": "utility", "is_active": "on",
        "contact_person": "", "phone": "0434-5550203", "address": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    event = events_of("unit", unit.pk).get()
    assert event.action == "changed" and event.after == {"name": "四平市燃气公司", "phone": "0434-5550203"}


def test_change_pages_open_without_a_delete_icon_for_chosen_units(admin_client):
    unit = UnitFactory(code="water", name="四平市供水公司")
    user = UserFactory(role="handler", unit=unit)
    for url in [f"/admin/org/user/{user.pk}/change/", f"/admin/org/unit/{unit.pk}/change/"]:
        response = admin_client.get(url)
        assert response.status_code == 200
        assert "delete_id_memberships" not in response.content.decode()
        assert "delete_id_parent" not in response.content.decode()
