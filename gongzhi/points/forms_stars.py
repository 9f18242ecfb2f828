"""Forms of the 五星支部 pages. They parse; the rules (ranges, evidence) are the services', whose
Chinese errors land on the fields through gongzhi.core.forms.add_service_errors."""

from django import forms
from django.utils.translation import gettext_lazy as _


class YearForm(forms.Form):
    """The year chooser of the summary (?year=); the choices are the years worth showing."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, data=None, *, years: list[int], default: int, **kwargs):
        super().__init__(data, initial={"year": default}, **kwargs)
        self.default = default
        self.fields["year"].choices = [(y, _("%(y)s年度") % {"y": y}) for y in years]

    def chosen(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return self.default


class OpenForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1900, max_value=2100)


class EvaluationForm(forms.Form):
    """Every indicator's points and evidence, and the evaluation's details, on one form."""

    innovation_project = forms.CharField(label=_("创新项目"), max_length=200, required=False,
                                         help_text=_("评为五星须有创新项目；没有时最高评为四星"))
    is_model_site = forms.BooleanField(label=_("市级标杆式示范点"), required=False)

    def __init__(self, data=None, *, evaluation, scores, **kwargs):
        initial = {"innovation_project": evaluation.innovation_project, "is_model_site": evaluation.is_model_site}
        for s in scores:
            initial |= {f"points_{s.indicator_id}": s.points, f"evidence_{s.indicator_id}": s.evidence}
        super().__init__(data, initial=initial, **kwargs)
        self.scores = scores
        for s in scores:
            name = s.indicator.name
            self.fields[f"points_{s.indicator_id}"] = forms.DecimalField(
                label=_("%(name)s得分") % {"name": name}, max_digits=6, decimal_places=1, required=False,
                widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": s.indicator.max_points, "inputmode": "decimal"}))
            self.fields[f"evidence_{s.indicator_id}"] = forms.CharField(
                label=_("%(name)s调整依据") % {"name": name}, max_length=200, required=False)

    def rows(self):
        """(score, points field, evidence field) per indicator, for the table."""
        return [(s, self[f"points_{s.indicator_id}"], self[f"evidence_{s.indicator_id}"]) for s in self.scores]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        scores = {s.indicator_id: (d[f"points_{s.indicator_id}"], d[f"evidence_{s.indicator_id}"]) for s in self.scores}
        return {"scores": scores, "innovation_project": d["innovation_project"], "is_model_site": d["is_model_site"]}
