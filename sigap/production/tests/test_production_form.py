"""The production form starts from what the person can only mean."""

import re

from conftest import client_for


def test_the_production_form_preselects_a_partner_users_only_business(world):
    html = client_for(world.partner_user).get("/production/new/").content.decode()
    select = re.search(r'<select name="partner".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option[^>]*>", select) == [f'<option value="{world.tala_partner.pk}" selected>']


def test_an_officer_still_chooses_among_the_partners(world):
    html = client_for(world.tala_officer).get("/production/new/").content.decode()
    select = re.search(r'<select name="partner".*?</select>', html, re.S).group(0)
    assert '<option value="" selected>' in select
    assert f'<option value="{world.tala_partner.pk}">' in select
