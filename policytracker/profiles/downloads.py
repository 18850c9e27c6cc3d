"""A place's profile as a CSV file: one row per question, the columns of `rows.CSV_COLUMNS`."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views import View

from policytracker.exports.streaming import csv_cell
from policytracker.profiles.forms import AsOfForm
from policytracker.profiles.profile import profile_of
from policytracker.profiles.rows import CSV_COLUMNS, csv_rows


class ProfileCSVView(View):
    """/jurisdictions/<slug>/profile.csv?on=2019-07-15"""

    def get(self, request, slug):
        from jurisdictions.models import Jurisdiction

        place = get_object_or_404(Jurisdiction.objects.visible_to(request.user), slug=slug)
        form = AsOfForm(request.GET)
        if not form.is_valid():
            message = " ".join(form.errors["on"])
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        profile = profile_of(place, on=form.date, user=request.user)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for row in csv_rows(profile, request):
            writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        filename = f"profile-{place.slug}-{profile.on.isoformat()}.csv"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
