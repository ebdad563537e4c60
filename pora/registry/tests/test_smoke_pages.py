from django.urls import reverse


def test_officer_opens_dashboard_search_and_person_page(as_officer, wang):
    assert as_officer.get(reverse("registry:dashboard") + "?on=2024-02-01").status_code == 200
    response = as_officer.get(reverse("registry:person_list"), {"q": "WANG XIAO MNIG"})
    assert response.status_code == 200
    assert "XIAOMING" in response.content.decode()
    assert as_officer.get(reverse("registry:person_detail", args=[wang.pk])).status_code == 200


def test_partner_and_analyst_dashboards_do_not_link_to_personal_data(police_partner, analyst,
                                                                     wang):
    from pora.conftest import login

    for user in (police_partner, analyst):
        page = login(user).get(reverse("registry:dashboard") + "?on=2024-02-01")
        assert page.status_code == 200
        assert reverse("registry:person_list") not in page.content.decode()


def test_officer_dashboard_links_the_overstay_figure_to_the_list(as_officer, wang):
    page = as_officer.get(reverse("registry:dashboard") + "?on=2024-02-01")
    assert reverse("registry:person_list") + "?standing=overstay" in page.content.decode()
