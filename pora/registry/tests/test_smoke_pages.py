from django.urls import reverse


def test_officer_opens_dashboard_search_and_person_page(as_officer, wang):
    assert as_officer.get(reverse("registry:dashboard") + "?on=2024-02-01").status_code == 200
    response = as_officer.get(reverse("registry:person_list"), {"q": "WANG XIAO MNIG"})
    assert response.status_code == 200
    assert "XIAOMING" in response.content.decode()
    assert as_officer.get(reverse("registry:person_detail", args=[wang.pk])).status_code == 200
