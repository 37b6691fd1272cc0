"""lme4's fits of the shipped data sets, printed with 15 digits (no R at test time).

Produced by data/lme4_reference.R with R 4.2.2 Patched (2022-11-10 r83330) and lme4 1.1.31
(Debian packages r-base-core, r-cran-lme4). Each fit is ``lmer(..., REML = TRUE)``:

- "default": lme4's default optimiser (nloptwrap, BOBYQA), as most people run it.
- "strict":  the same with ``control = lmerControl(optimizer = "nloptwrap",
  optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-14, xtol_rel = 1e-14, ftol_rel = 1e-15,
  maxeval = 100000))``, i.e. lme4 driven to the optimum. On Orthodont the default stops
  with a REML criterion 5.6e-6 above the optimum, which moves its variance components in
  the third digit (5.7745 instead of 5.7864); the strict fit shows the optimum lme4 itself
  reaches, so estimates are compared with strict fits and the likelihood with both.

Term names are ours; lme4 writes ``SexMale`` for ``Sex[T.Male]``, ``Diet2`` for
``Diet[T.2]``, ``bandb`` for ``band[T.b]``. Fixed effects map to (estimate, std. error).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lme4Fit:
    call: str
    fixed: dict[str, tuple[float, float]]
    var_intercept: float
    var_slope: float | None
    cov: float | None
    residual_var: float
    reml_crit: float


SLEEPSTUDY_DEFAULT = Lme4Fit(
    call="lmer(Reaction ~ Days + (Days | Subject), sleepstudy)",
    fixed={
        "(Intercept)": (251.405104848485, 6.82459669495491),
        "Days": (10.467285959596, 1.54578964390598),
    },
    var_intercept=612.10015802476880,
    var_slope=35.07171445093885,
    cov=9.60440895115776,
    residual_var=654.94000825996079,
    reml_crit=1743.62827195995,
)

SLEEPSTUDY_STRICT = Lme4Fit(
    call="lmer(Reaction ~ Days + (Days | Subject), sleepstudy, control = strict)",
    fixed={
        "(Intercept)": (251.4051048484840, 6.82455626155296),
        "Days": (10.4672859595964, 1.54578889288849),
    },
    var_intercept=612.08987022239307,
    var_slope=35.07166023933963,
    cov=9.60434122725561,
    residual_var=654.94103279996750,
    reml_crit=1743.62827195849,
)

# band <- c("a", "b", "c")[Subject %% 3 + 1]; x <- (Subject + Days) %% 5
SLEEPSTUDY_COVARIATES_STRICT = Lme4Fit(
    call="lmer(Reaction ~ Days + band + x + (Days | Subject), sleepstudy, control = strict)",
    fixed={
        "(Intercept)": (256.011316424446363, 12.54153636040894),
        "Days": (10.443970135246484, 1.55583029336888),
        "band[T.b]": (-10.993604446784005, 16.65359912855061),
        "band[T.c]": (-7.045918942228361, 18.12664702770138),
        "x": (0.865599978989926, 1.39365283544155),
    },
    var_intercept=673.6183837888310,
    var_slope=35.5725823204539,
    cov=21.1968879806370,
    residual_var=657.7720131127454,
    reml_crit=1725.59676728548,
)

# Only Days 0 and 9: two observations per subject, so only a random intercept.
SLEEPSTUDY_TWO_DAYS_INTERCEPT = Lme4Fit(
    call="lmer(Reaction ~ Days + (1 | Subject), subset(sleepstudy, Days %in% c(0, 9)))",
    fixed={
        "(Intercept)": (256.6518055555557, 12.38216308189856),
        "Days": (10.4666018518518, 1.50433210773459),
    },
    var_intercept=1109.98532568786,
    var_slope=None,
    cov=None,
    residual_var=1649.73800087331,
    reml_crit=373.041219458379,
)

ORTHODONT_DEFAULT_CRIT = 432.581667064601  # lmer(distance ~ age * Sex + (age | Subject))

ORTHODONT_STRICT = Lme4Fit(
    call="lmer(distance ~ age * Sex + (age | Subject), Orthodont, control = strict)",
    fixed={
        "(Intercept)": (17.372727272727087, 1.228395721689408),
        "age": (0.479545454545481, 0.103719314227068),
        "Sex[T.Male]": (-1.032102272727589, 1.595732851324754),
        "age:Sex[T.Male]": (0.304829545454557, 0.134735341475614),
    },
    var_intercept=5.7864337607011214,
    var_slope=0.0325244767952505,
    cov=-0.2896271888730257,
    residual_var=1.7162036157165259,
    reml_crit=432.581661502608,
)

ORTHODONT_MALE_REFERENCE_STRICT = Lme4Fit(
    call="Sex <- relevel(factor(Sex), ref = 'Male'); same lmer call, control = strict",
    fixed={
        "(Intercept)": (16.340625000000365, 1.0185319997531097),
        "age": (0.784374999999979, 0.0859995136918814),
        "Sex[T.Female]": (1.032102272726804, 1.5957329672960030),
        "age:Sex[T.Female]": (-0.304829545454513, 0.1347353438113126),
    },
    var_intercept=5.7864376268842292,
    var_slope=0.0325244924342151,
    cov=-0.2896274070056223,
    residual_var=1.7162033849924827,
    reml_crit=432.581661502611,
)

CHICKWEIGHT_DEFAULT_CRIT = 4781.52056687936  # lmer(weight ~ Time * Diet + (Time | Chick))

CHICKWEIGHT_STRICT = Lme4Fit(
    call="lmer(weight ~ Time * Diet + (Time | Chick), ChickWeight, control = strict)",
    fixed={
        "(Intercept)": (33.66127097345538, 2.919216752007635),
        "Time": (6.27699475601467, 0.761342374881693),
        "Diet[T.2]": (-5.02767545083944, 5.010801608425364),
        "Diet[T.3]": (-15.41094575790346, 5.010801608425366),
        "Diet[T.4]": (-1.75044880408827, 5.017889405064082),
        "Time:Diet[T.2]": (2.33214153198955, 1.304381264257015),
        "Time:Diet[T.3]": (5.14587621660610, 1.304381264257015),
        "Time:Diet[T.4]": (3.25497598713699, 1.305104001655697),
    },
    var_intercept=116.9084212082981,
    var_slope=10.9211376781859,
    cov=-34.8377846878130,
    residual_var=163.3715990898771,
    reml_crit=4781.52056682268,
)

# lmer(trust ~ session * interpreter + (session | client)) on data/no_slope_variance.csv
# is singular ("boundary (singular) fit"), with this REML criterion:
NO_SLOPE_SINGULAR_CRIT = 793.666344075622

NO_SLOPE_INTERCEPT_STRICT = Lme4Fit(
    call="lmer(trust ~ session * interpreter + (1 | client), control = strict)",
    fixed={
        "(Intercept)": (9.950323809523253, 0.4675062525415788),
        "session": (0.496727142857166, 0.0510048111796227),
        "interpreter[T.no_interpreter]": (-0.244309523809211, 0.6611536828385257),
        "session:interpreter[T.no_interpreter]": (0.342497142857132, 0.0721316957165013),
    },
    var_intercept=3.894301950006922,
    var_slope=None,
    cov=None,
    residual_var=0.910521767214141,
    reml_crit=793.670891655891,
)
