"""``flask --app wsgi surveys ...``: list surveys and print their results."""
import click
from flask.cli import AppGroup

from portal.core import bounds
from portal.participation.surveys import results, services
from portal.municipalities.cli import municipality_or_fail

group = AppGroup("surveys", help="Satisfaction surveys.")


@group.command("list")
@click.argument("slug")
def list_surveys(slug):
    """List a municipality's surveys (drafts too)."""
    municipality = municipality_or_fail(slug)
    for survey in services.all_surveys(municipality):
        click.echo(f"{survey.id}\t{survey.status}\t{survey.opens_on}..{survey.close_date}\t"
                   f"{services.response_count(municipality, survey)} responses\t{survey.title}")


@group.command("results")
@click.argument("slug")
@click.argument("survey_id", type=bounds.BoundedInt(minimum=1))
def show_results(slug, survey_id):
    """Print n, mean and 95 % interval of each numeric question."""
    municipality = municipality_or_fail(slug)
    survey = services.get_survey(municipality, survey_id, published_only=False)
    if survey is None:
        raise click.ClickException(f"No survey {survey_id} in {slug}.")
    outcome = results.survey_results(municipality, survey)
    click.echo(f"{survey.title}: {outcome.responses} responses ({outcome.paper} on paper)")
    if outcome.withheld:
        click.echo(f"Results are shown from {outcome.min_count} responses (SURVEY_MIN_COUNT).")
    for r in outcome.questions:
        s = r.summary
        if s is not None and s.n:
            click.echo(f"{r.question.code}\tn={s.n}\tmean={s.mean}\tci95=[{s.ci_low}, {s.ci_high}]")
        else:
            click.echo(f"{r.question.code}\tn={r.n}")
