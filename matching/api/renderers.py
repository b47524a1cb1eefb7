import io

from rest_framework.renderers import BaseRenderer

from matching.exports import proposals_csv


class ProposalCSVRenderer(BaseRenderer):
    """The proposals as a spreadsheet. Errors never come here: the view sends them as JSON (ErrorsAsJSONMixin)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        proposals_csv(data, out)
        return out.getvalue().encode()
