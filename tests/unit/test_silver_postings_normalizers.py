"""chispa tests of the silver postings normalizers, one named tricky case per row."""

from __future__ import annotations

from datetime import date, datetime

from chispa import assert_df_equality
from pyspark.sql import SparkSession

from careerlake.reference.taxonomy import reference_frame
from careerlake.registry.reference import FX_RATES
from careerlake.runtime.local_rows import rows_frame
from careerlake.silver.postings.families import normalize_role_family
from careerlake.silver.postings.normalize import (
    extract_skills,
    normalize_location,
    normalize_salary,
    normalize_title,
)
from careerlake.silver.postings.text import html_to_text


def test_html_to_text_decodes_double_escaped_entities_and_drops_scripts(spark: SparkSession) -> None:
    rows = [
        ("double_escaped", "&amp;lt;p&amp;gt;Hello &amp;amp; welcome&amp;lt;/p&amp;gt;", "Hello & welcome"),
        ("escaped_once", "&lt;div class=&quot;a&quot;&gt;Hi&lt;/div&gt;", "Hi"),
        (
            "script_style_numeric",
            "<p>R&amp;D &#8212; caf&#233;</p><script>x=1</script><style>p{}</style>",
            "R&D — café",
        ),
        ("lists", "<ul><li>One</li><li>Two&nbsp;x</li></ul>", "One\nTwo x"),
        ("null", None, None),
    ]
    df = rows_frame(spark, [r[:2] for r in rows], "case string, description_html string")
    expected = rows_frame(spark, rows, "case string, description_html string, description_text string")
    assert_df_equality(html_to_text(df), expected)


def test_extract_skills_traps_and_aliases(spark: SparkSession) -> None:
    rows = [
        ("go_live_and_on_the_go", "Own the go-live and work on the go", [], []),
        ("go_language", "Services in Go and Golang", ["go"], ["go"]),
        ("r_and_d", "Our R&D team", [], []),
        ("r_language", "Statistics in R", ["r", "statistics"], ["r"]),
        ("excellent_not_excel", "Excellent communication", ["communication"], []),
        ("excel", "Advanced Excel", ["excel"], ["excel"]),
        ("k8s_pyspark_gcp", "k8s, PySpark on GCP", ["apache_spark", "google_cloud", "kubernetes"], None),
        (
            "concepts_are_no_tools",
            "CI/CD, observability and Terraform",
            ["ci_cd", "observability", "terraform"],
            ["terraform"],
        ),
    ]
    df = rows_frame(
        spark,
        [(c, t, None, None) for c, t, _, _ in rows],
        "case string, title string, description_text string, skills_text string",
    )
    got = extract_skills(df).select("case", "skills", "tool_skills")
    expected = rows_frame(
        spark,
        [(c, s, s if tools is None else tools) for c, _, s, tools in rows],
        "case string, skills array<string>, tool_skills array<string>",
    )
    assert_df_equality(got, expected, ignore_nullable=True)


def test_normalize_title_role_and_seniority(spark: SparkSession) -> None:
    rows = [
        ("level_ii", "Software Engineer II", None, "software_engineer", "mid"),
        ("l5", "Site Reliability Engineer L5", None, "site_reliability_engineer", "senior"),
        ("e5", "Software Engineer E5", None, "software_engineer", "senior"),
        ("sde_ii", "SDE II", None, "software_engineer", "mid"),
        ("sr_dot", "Sr. Data Engineer", None, "data_engineer", "senior"),
        ("intern", "Data Engineering Intern", None, "data_engineer", "intern"),
        ("director", "Director of Data Science", None, "data_science_manager", "director"),
        ("vp_alias", "VP of Engineering", None, "engineering_director", "executive"),
        ("manager_in_role_alias", "Product Manager", None, "product_manager", None),
        ("engineering_manager", "Engineering Manager", None, "engineering_manager", "manager"),
        ("senior_manager_title", "Senior Engineering Manager", None, "engineering_manager", "manager"),
        ("senior_director", "Senior Director of Engineering", None, "engineering_director", "director"),
        ("source_director", "Data Analyst", "Director", "data_analyst", "director"),
        ("title_over_source", "Staff Data Engineer", "Mid-Senior level", "data_engineer", "staff"),
        ("source_field", "Data Analyst", "Entry level", "data_analyst", "entry"),
        ("mid_senior_unknown", "Data Analyst", "Mid-Senior level", "data_analyst", None),
        ("unknown_role", "Chef de partie", None, None, None),
        ("lead_word_beside_manager", "Tech Lead Manager, Payments", None, None, "manager"),
        ("manager_over_source_level", "Sales Manager", "Mid-Senior level", None, "manager"),
        ("source_level_neutral_title", "Account Executive", "Entry level", None, "entry"),
        ("lever_level_category", "Marketing Coordinator", "Senior", None, "senior"),
        ("technical_staff_is_no_level", "Member of Technical Staff", None, "software_engineer", None),
    ]
    df = rows_frame(
        spark, [(c, t, e) for c, t, e, _, _ in rows], "case string, title string, experience_level_raw string"
    )
    got = normalize_title(df).select("case", "role_id", "seniority")
    expected = rows_frame(
        spark, [(c, r, s) for c, _, _, r, s in rows], "case string, role_id string, seniority string"
    )
    assert_df_equality(got, expected, ignore_nullable=True)


def test_normalize_role_family_for_every_kind_of_posting(spark: SparkSession) -> None:
    rows = [
        ("sales", "Account Executive, Mid-Market", None, "sales"),
        ("sales_development", "Sales Development Representative", None, "sales"),
        ("marketing", "Senior Content Marketing Specialist", None, "business_financial"),
        ("marketing_manager", "Product Marketing Manager", None, "management"),
        ("operations", "Operations Associate", None, "business_financial"),
        ("operations_manager", "Regional Operations Manager", None, "management"),
        ("nurse", "Registered Nurse - ICU", None, "healthcare_practitioners"),
        ("onet_title", "Paralegal", None, "legal"),
        ("tech_role_kept", "Senior Data Engineer", "data_engineer", "computer_mathematical"),
        ("tech_manager", "Engineering Manager", "engineering_manager", "management"),
        ("sales_engineer_role", "Sales Engineer", "sales_engineer", "sales"),
        ("onet_chef", "Chef de partie", None, "food_service"),
        ("administrative", "Administrative Business Partner", None, "office_admin"),
        ("medical_coding", "Clinical Coding Specialist", None, "healthcare_practitioners"),
        ("no_family", "Rockstar Ninja", None, None),
    ]
    df = rows_frame(spark, [(c, t, r) for c, t, r, _ in rows], "case string, title string, role_id string")
    expected = rows_frame(
        spark,
        [(c, t, r, f) for c, t, r, f in rows],
        "case string, title string, role_id string, role_family string",
    )
    assert_df_equality(normalize_role_family(df), expected, ignore_nullable=True)


_SALARY_IN = (
    "record_id string, pay_min double, pay_max double, pay_currency string, pay_period_raw string, "
    "pay_in_cents boolean, description_text string, posted_at timestamp, ingested_at timestamp"
)
_SALARY_OUT = (
    "record_id string, salary_currency string, salary_period string, salary_source string, "
    "salary_min_annual double, salary_max_annual double, salary_flags array<string>"
)


def test_normalize_salary_periods_cents_text_and_flags(spark: SparkSession) -> None:
    at = datetime(2026, 9, 15)
    cases = [
        ("greenhouse_cents", 16500000.0, 19500000.0, "USD", "Annual Salary", True, None, "USD", "year", "structured", 165000.0, 195000.0, []),
        ("lever_hour", 50.0, 60.0, "USD", "per-hour-wage", False, None, "USD", "hour", "structured", 104000.0, 124800.0, []),
        ("lever_month", 5000.0, 6000.0, "EUR", "per-month-salary", False, None, "EUR", "month", "structured", 60000.0, 72000.0, []),
        ("ashby_year", 65000.0, 80000.0, "GBP", "1 YEAR", False, None, "GBP", "year", "structured", 65000.0, 80000.0, []),
        ("jsonld_day", 400.0, 500.0, "EUR", "DAY", False, None, "EUR", "day", "structured", 104000.0, 130000.0, []),
        ("jsonld_week", 2000.0, 2000.0, "USD", "WEEK", False, None, "USD", "week", "structured", 104000.0, 104000.0, []),
        ("linkedin_hourly", 40.0, 45.0, "USD", "HOURLY", False, None, "USD", "hour", "structured", 83200.0, 93600.0, []),
        ("text_k_range", None, None, None, None, False, "Pay: $120k–$155k.", "USD", "year", "text", 120000.0, 155000.0, []),
        ("text_usd_code", None, None, None, None, False, "USD 150,000 - 180,000 per year", "USD", "year", "text", 150000.0, 180000.0, []),
        ("text_cad_hour", None, None, None, None, False, "CAD $38/hour", "CAD", "hour", "text", 79040.0, 79040.0, []),
        ("text_euro_hr", None, None, None, None, False, "€65/hr", "EUR", "hour", "text", 135200.0, 135200.0, []),
        ("no_salary_3_days", None, None, None, None, False, "3 days a week, 5 years", None, None, None, None, None, []),
        ("text_ote_before_base", None, None, None, None, False, "On-target earnings: £110,000; base salary £55,000 - £65,000 per year", "GBP", "year", "text", 55000.0, 65000.0, []),
        ("text_ote_after_figure", None, None, None, None, False, "$180k OTE, $90k-$100k base", "USD", "year", "text", 90000.0, 100000.0, []),
        ("structured_beside_text_pay", 100000.0, 120000.0, "USD", "YEARLY", False, "Pay: €5k–€6k per month", "USD", "year", "structured", 100000.0, 120000.0, []),
        ("structured_no_period", 100000.0, 100000.0, "USD", None, False, None, "USD", "year", "structured", 100000.0, 100000.0, []),
        ("structured_no_period_small", 40.0, 40.0, "USD", None, False, None, "USD", None, "structured", None, None, []),
        ("no_salary_valuation", None, None, None, None, False, "We are a $12B company, $1.5M raised", None, None, None, None, None, []),
        ("negative", -10.0, 20.0, "USD", "YEARLY", False, None, "USD", "year", "structured", -10.0, 20.0, ["negative", "period_mismatch", "out_of_range"]),
        ("min_gt_max", 200000.0, 150000.0, "USD", "YEARLY", False, None, "USD", "year", "structured", 200000.0, 150000.0, ["min_gt_max"]),
        ("hourly_labelled_yearly", 45.0, 60.0, "USD", "YEARLY", False, None, "USD", "year", "structured", 45.0, 60.0, ["period_mismatch", "out_of_range"]),
    ]  # fmt: skip
    df = rows_frame(spark, [(*c[:7], at, at) for c in cases], _SALARY_IN)
    got = normalize_salary(df, reference_frame(spark, FX_RATES)).select(
        *[f.split()[0] for f in _SALARY_OUT.split(", ")]
    )
    expected = rows_frame(spark, [(c[0], *c[7:]) for c in cases], _SALARY_OUT)
    assert_df_equality(got, expected, ignore_nullable=True, ignore_row_order=True)


def test_normalize_salary_converts_at_the_ecb_rate_of_the_posting_month(spark: SparkSession) -> None:
    # ECB units per euro on the first business day of 2024-01 (01-02), 2026-09 (09-01) and
    # 2026-10 (10-01), the file's last month: USD 1.0956 / 1.159 / 1.1298, GBP 0.86645 / 0.85373.
    cases = [
        ("eur_sep", "EUR", datetime(2026, 9, 15), 1.159, date(2026, 9, 1), []),
        ("gbp_jan_2024", "GBP", datetime(2024, 1, 31), 1.0956 / 0.86645, date(2024, 1, 1), []),
        ("gbp_after_last_month", "GBP", datetime(2026, 11, 20), 1.1298 / 0.85373, date(2026, 10, 1), []),
        ("aed_peg", "AED", datetime(2026, 9, 15), 1 / 3.6725, date(2026, 9, 1), []),
        ("ars_unquoted", "ARS", datetime(2026, 9, 15), None, None, ["no_fx_rate"]),
    ]
    df = rows_frame(
        spark,
        [(c, 100000.0, 100000.0, cur, "YEARLY", False, None, at, at) for c, cur, at, *_ in cases],
        _SALARY_IN,
    )
    got = normalize_salary(df, reference_frame(spark, FX_RATES)).select(
        "record_id", "salary_min_annual_usd", "fx_rate_date", "salary_flags"
    )
    expected = rows_frame(
        spark,
        [(c, rate and 100000.0 * rate, day, flags) for c, _, _, rate, day, flags in cases],
        "record_id string, salary_min_annual_usd double, fx_rate_date date, salary_flags array<string>",
    )
    assert_df_equality(got, expected, ignore_nullable=True, ignore_row_order=True)


def test_normalize_location_and_work_model(spark: SparkSession) -> None:
    rows = [
        ("remote_dash_us", "Remote - US", None, None, None, None, None, None, None, None, "US", "remote"),
        ("remote_parens", "REMOTE (US)", None, None, None, None, None, None, None, None, "US", "remote"),
        ("us_state", "New York, NY", None, None, None, None, None, None, "New York", "NY", "US", None),
        (
            "country_name",
            "Berlin, Germany",
            None,
            None,
            None,
            "hybrid",
            None,
            None,
            "Berlin",
            None,
            "DE",
            "hybrid",
        ),
        (
            "three_days",
            "London, United Kingdom",
            None,
            None,
            None,
            None,
            None,
            "Three days a week in our office.",
            "London",
            None,
            "GB",
            "hybrid",
        ),
        (
            "lever_onsite",
            "Toronto, ON, Canada",
            None,
            None,
            None,
            "on-site",
            None,
            None,
            "Toronto",
            "ON",
            "CA",
            "onsite",
        ),
        ("ashby_is_remote", None, "Lisbon", None, "PT", None, True, None, "Lisbon", None, "PT", "remote"),
        (
            "jsonld_telecommute",
            None,
            "Austin",
            "TX",
            "US",
            "TELECOMMUTE",
            None,
            None,
            "Austin",
            "TX",
            "US",
            "remote",
        ),
        # location text, case / location_text / city / region / country_raw / workplace_raw /
        # is_remote / description_text -> city / region / country / work_model
        (
            "state_code_is_country",
            "Berlin, DE",
            None,
            None,
            None,
            None,
            None,
            None,
            "Berlin",
            None,
            "DE",
            None,
        ),
        ("state_code_is_state", "Dover, DE", None, None, None, None, None, None, "Dover", "DE", "US", None),
        ("state_name", "Austin, Texas", None, None, None, None, None, None, "Austin", "TX", "US", None),
        (
            "province_name",
            "Toronto, Ontario",
            None,
            None,
            None,
            None,
            None,
            None,
            "Toronto",
            "ON",
            "CA",
            None,
        ),
        (
            "subdivision_of_country",
            "Bengaluru, Karnataka",
            None,
            None,
            None,
            None,
            None,
            None,
            "Bengaluru",
            None,
            "IN",
            None,
        ),
        ("bare_city", "London", None, None, None, None, None, None, "London", None, "GB", None),
        (
            "country_name_after_city",
            "Paris, France",
            None,
            None,
            None,
            None,
            None,
            None,
            "Paris",
            None,
            "FR",
            None,
        ),
        (
            "country_name_in_field",
            None,
            "Munich",
            None,
            "Germany",
            None,
            None,
            None,
            "Munich",
            None,
            "DE",
            None,
        ),
        (
            "several_places",
            "San Francisco, CA; London, UK",
            None,
            None,
            None,
            None,
            None,
            None,
            "San Francisco",
            "CA",
            "US",
            None,
        ),
        (
            "remote_flag_contradicted",
            "Lisbon, Portugal",
            None,
            None,
            None,
            None,
            True,
            "Three days a week in the office.",
            "Lisbon",
            None,
            "PT",
            "hybrid",
        ),
        (
            "office_part_of_week",
            "Oslo, Norway",
            None,
            None,
            None,
            None,
            None,
            "You work in the office part of the week.",
            "Oslo",
            None,
            "NO",
            "hybrid",
        ),
        ("structured_state_only", None, "Seattle", "WA", None, None, None, None, "Seattle", "WA", "US", None),
        (
            "named_office",
            "Leeds, UK",
            None,
            None,
            None,
            None,
            None,
            "From our Leeds office part of the week.",
            "Leeds",
            None,
            "GB",
            "hybrid",
        ),
    ]
    schema = (
        "case string, location_text string, city string, region string, country_raw string, workplace_raw string, "
        "is_remote boolean, description_text string"
    )
    df = rows_frame(spark, [(*r[:8],) for r in rows], schema).withColumn(
        "title", __import__("pyspark.sql.functions", fromlist=["lit"]).lit("Engineer")
    )
    got = normalize_location(df).select("case", "city", "region", "country", "work_model")
    expected = rows_frame(
        spark,
        [(r[0], *r[8:]) for r in rows],
        "case string, city string, region string, country string, work_model string",
    )
    assert_df_equality(got, expected, ignore_nullable=True)
