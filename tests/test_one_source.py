"""Facts the code needs in several places are defined once and imported, not restated."""

import datetime

from cases import importer, synthetic
from msp.timezone import LONDON
from reporting import aggregation


def test_the_london_day_is_the_settings_time_zone_and_every_user_of_it_imports_the_one_constant(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert LONDON.key == "Europe/London"
    assert datetime.datetime(2024, 7, 1, 12, tzinfo=LONDON).utcoffset() == datetime.timedelta(hours=1)
    assert aggregation.LONDON is LONDON
    assert importer.LONDON is LONDON
    assert synthetic.LONDON is LONDON
