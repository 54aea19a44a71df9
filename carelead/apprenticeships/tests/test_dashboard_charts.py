"""The caseload's SVG charts: one accessible image each, saying in words what the picture shows."""

from carelead.apprenticeships.dashboard_charts import rag_bar_chart, time_otj_chart


def test_the_status_chart_is_an_image_whose_description_gives_every_count():
    svg = rag_bar_chart([("red", "Well behind", 2), ("amber", "Behind", 0), ("green", "On <track>", 5)])
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="rag-chart-title rag-chart-desc"' in svg
    assert "Well behind: 2; Behind: 0; On &lt;track&gt;: 5." in svg and "<track>" not in svg
    assert "style" not in svg  # the strict CSP allows presentation attributes only
    assert svg.count("<rect") == 3


def test_the_dot_plot_counts_those_behind_the_timeline_and_says_when_there_is_nothing_to_plot():
    svg = time_otj_chart([(50.0, 30.0, "red"), (40.0, 45.0, "green"), (120.0, -5.0, None)])
    assert "3 apprentices. 2 have done a smaller share" in svg and svg.count("<circle") == 3
    assert 'cx="' in svg and "nan" not in svg
    assert "No apprentice on this page has a known minimum" in time_otj_chart([])
