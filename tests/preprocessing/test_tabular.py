import numpy as np
import pandas as pd
import pytest

from skgan.preprocessing import TabularTransformer


@pytest.fixture
def mixed():
    """Every dtype a table brings: numbers, integers, nullable, categories, text."""
    rng = np.random.default_rng(0)
    n = 120
    gaps = np.arange(n) % 7 == 0
    return pd.DataFrame(
        {
            "amount": np.where(gaps, np.nan, rng.lognormal(3, 1, n)),
            "count": rng.integers(0, 5, n),
            "visits": pd.array(np.where(gaps, None, rng.integers(0, 9, n)), "Int64"),
            "flag": rng.random(n) < 0.3,
            "maybe": pd.array(np.where(gaps, None, rng.random(n) < 0.5), "boolean"),
            "colour": pd.Categorical(rng.choice(["red", "blue", "green"], n)),
            # Missing as NaN, as read_csv gives it (None comes back as NaN).
            "city": pd.Series(rng.choice(["Oslo", "Lima", ""], n)).replace("", np.nan),
            "code": pd.array(rng.choice(["a", "b"], n), dtype="string"),
        }
    )


@pytest.mark.parametrize("numeric", ["quantile", "standard", "gmm"])
def test_tabular_round_trip_keeps_values_and_dtypes(mixed, numeric):
    tt = TabularTransformer(numeric=numeric, random_state=0).fit(mixed)
    back = tt.inverse_transform(tt.transform(mixed))
    assert back.dtypes.to_dict() == mixed.dtypes.to_dict()
    pd.testing.assert_frame_equal(
        back.drop(columns="amount"), mixed.drop(columns="amount")
    )
    # Exact but for the extremes, each seen once: they come back as the
    # midpoints of the two smallest and the two largest values.
    observed = np.sort(mixed["amount"].dropna())
    expected = mixed["amount"].clip(observed[:2].mean(), observed[-2:].mean())
    np.testing.assert_allclose(back["amount"], expected, rtol=1e-6)
    assert back["amount"].isna().equals(mixed["amount"].isna())


def test_tabular_never_invents_a_category(mixed):
    tt = TabularTransformer(random_state=0).fit(mixed)
    noise = np.random.default_rng(1).normal(size=(500, tt.transform(mixed).shape[1]))
    out = tt.inverse_transform(noise)
    assert set(out["colour"].dropna()) <= {"red", "blue", "green"}
    assert out["colour"].dtype == mixed["colour"].dtype
    assert set(out["city"].dropna()) <= {"Oslo", "Lima"}
    assert out["count"].between(mixed["count"].min(), mixed["count"].max()).all()
    # Missing only where the column had missing values in fit.
    assert out["flag"].notna().all() and out["count"].notna().all()
    assert out["city"].isna().any()


def test_tabular_layout_matches_feature_names(mixed):
    tt = TabularTransformer(random_state=0).fit(mixed)
    names = tt.get_feature_names_out()
    assert len(names) == tt.transform(mixed).shape[1]
    assert sum(w for _, w in tt.output_blocks_) == len(names)
    assert {"amount", "amount_missing", "colour_red", "city_missing"} <= set(names)
    conditioned = [mixed.columns[i] for _, _, i in tt.condition_blocks_]
    # count (0-4) and visits (0-8) are whole numbers with few values: categories.
    assert conditioned == ["count", "visits", "flag", "maybe", "colour", "city", "code"]


def test_tabular_forced_categorical_integer_label():
    df = pd.DataFrame({"x": np.arange(10.0), "label": [0, 1] * 5})
    tt = TabularTransformer(categorical_columns=["label"]).fit(df)
    assert [c["kind"] for c in tt.columns_] == ["numeric", "categorical"]
    back = tt.inverse_transform(tt.transform(df))
    assert back["label"].dtype == np.int64
    assert back["label"].tolist() == df["label"].tolist()


def test_tabular_integers_with_few_values_are_categories():
    rng = np.random.default_rng(0)
    n = 400
    df = pd.DataFrame(
        {
            "label": (rng.random(n) < 0.125).astype(np.int64),
            "label_read_with_gaps": np.where(
                np.arange(n) % 10 == 0, np.nan, rng.integers(0, 2, n)
            ),
            "children": rng.integers(0, 6, n),
            "age": rng.integers(18, 90, n),
            "index": np.arange(n),
            "amount": rng.normal(size=n),
        }
    )
    kinds = {c["name"]: c["kind"] for c in TabularTransformer().fit(df).columns_}
    assert kinds == {
        "label": "categorical",
        "label_read_with_gaps": "categorical",
        "children": "categorical",
        "age": "numeric",
        "index": "numeric",
        "amount": "numeric",
    }
    off = TabularTransformer(max_integer_categories=0).fit(df)
    assert {c["kind"] for c in off.columns_} == {"numeric"}
    back = off.inverse_transform(off.transform(df))
    assert back["label"].dtype == np.int64


def test_tabular_array_in_array_out():
    X = np.random.default_rng(0).normal(size=(30, 3))
    tt = TabularTransformer(numeric="standard").fit(X)
    back = tt.inverse_transform(tt.transform(X))
    assert isinstance(back, np.ndarray)
    # Each column's two extremes (seen once) come back as the range's ends.
    low, high = tt.scaler_.range_min_, tt.scaler_.range_max_
    np.testing.assert_allclose(back.astype(float), np.clip(X, low, high), rtol=1e-6)


@pytest.mark.parametrize(
    "bad, error, match",
    [
        (pd.DataFrame({"t": pd.date_range("2020", periods=5)}), TypeError, "datetime"),
        (pd.DataFrame({"x": [1.0, np.inf, 2.0]}), ValueError, "infinity"),
        (pd.DataFrame({"x": [np.nan, np.nan, np.nan]}), ValueError, "no observed"),
        (pd.DataFrame({"x": [1.0]}), ValueError, "at least 2 rows"),
    ],
)
def test_tabular_bad_input_is_named(bad, error, match):
    with pytest.raises(error, match=match):
        TabularTransformer().fit(bad)


def test_tabular_transform_checks_columns_and_categories(mixed):
    tt = TabularTransformer(random_state=0).fit(mixed)
    with pytest.raises(ValueError, match="missing \\['colour'\\]"):
        tt.transform(mixed.drop(columns="colour"))
    other = mixed.copy()
    other["city"] = "Paris"
    with pytest.raises(ValueError, match="not seen in fit"):
        tt.transform(other)
    with pytest.raises(ValueError, match="not a column of X"):
        TabularTransformer(categorical_columns=["nope"]).fit(mixed)


@pytest.mark.parametrize("as_category", [False, True])
def test_tabular_recodes_categories_seen_fewer_than_min_count(as_category):
    # One record's rare value is neither stored nor generated at
    # min_category_count=2; the column's most frequent category takes it.
    values = ["PE"] * 6 + ["NO"] * 3 + ["VA"]
    column = pd.Categorical(values) if as_category else values
    df = pd.DataFrame({"country": column, "x": np.arange(10.0)})
    tt = TabularTransformer(min_category_count=2, random_state=0).fit(df)
    assert tt.columns_[0]["categories"] == ["NO", "PE"]
    if as_category:
        assert tt.columns_[0]["dtype_categories"] == ["NO", "PE"]
    back = tt.inverse_transform(tt.transform(df))
    assert back["country"].tolist() == ["PE"] * 6 + ["NO"] * 3 + ["PE"]
    kept = TabularTransformer(random_state=0).fit(df)
    assert "VA" in kept.columns_[0]["categories"]


def _zero_inflated(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    pay = np.where(rng.random(n) < 0.3, 0.0, np.round(rng.lognormal(7, 1, n)))
    pay[::17] = np.nan
    return pd.DataFrame(
        {
            "pay": pay,
            "rain": np.where(rng.random(n) < 0.95, 0, rng.integers(1, 30, n)),
            "x": rng.normal(size=n),
            "kind": rng.choice(["a", "b"], n),
        }
    )


def test_tabular_point_mass_is_a_state_of_its_own():
    frame = _zero_inflated()
    plain = TabularTransformer(random_state=0).fit(frame)
    massed = TabularTransformer(point_mass_share=0.1, random_state=0).fit(frame)
    assert [c.get("point_mass") for c in plain.columns_] == [None] * 4
    assert [c.get("point_mass") for c in massed.columns_] == [0.0, 0.0, None, None]
    names = list(massed.get_feature_names_out())
    assert names[:5] == ["pay", "pay_other", "pay_is_0", "pay_observed", "pay_missing"]
    assert len(names) == sum(w for _, w in massed.output_blocks_)
    back = massed.inverse_transform(massed.transform(frame))
    # The point mass and the missing values come back exactly, dtypes kept.
    assert ((back["pay"] == 0) == (frame["pay"] == 0)).all()
    assert back["pay"].isna().equals(frame["pay"].isna())
    assert ((back["rain"] == 0) == (frame["rain"] == 0)).all()
    assert back.dtypes.equals(frame.dtypes)
    # The number learns the other values only: no quantile sits at the mass.
    assert massed.scaler_.quantiles_[:, 1].min() > 0


def test_tabular_point_mass_left_alone_below_the_share():
    frame = _zero_inflated()
    t = TabularTransformer(point_mass_share=0.5, random_state=0).fit(frame)
    assert [c.get("point_mass") for c in t.columns_] == [None, 0.0, None, None]
