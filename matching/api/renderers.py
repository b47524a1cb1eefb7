import io
import json

from rest_framework.renderers import BaseRenderer

from matching.exports import proposals_csv


class ProposalCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, list):
            out = io.StringIO()
            proposals_csv(data, out)
            return out.getvalue().encode()
        return json.dumps(data).encode()  # an error answer keeps its message
