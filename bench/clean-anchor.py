"""The pandas side of bench/clean.ts: the same fixes `lathe clean` finds and applies on the bench's
messy file, written by hand for its known columns (pandas has no profile to find them):
missing-value tokens in 'age' to NaN, 'age' and 'income' to numbers ('1,234' and '$12' read as
numbers; anything else set aside), 'signup' to dates (day-first; anything else set aside), the
empty 'source' and constant 'country' dropped, duplicate rows dropped (first kept); rows set aside
to <out>.rejects.csv. Prints one JSON line: seconds inside the process (after imports) and rows.

    /usr/bin/python3 bench/clean-anchor.py <in.csv> <out.csv>
"""
import json
import sys
import time

import pandas as pd

TOKENS = ['', 'na', 'n/a', '#n/a', 'nan', 'null', 'none', 'nil', 'undefined', 'missing', 'unknown',
          '?', '-', '--', '.', '(blank)']

src, dst = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
df = pd.read_csv(src, dtype={'age': str, 'income': str, 'signup': str})
age = df['age'].where(~df['age'].str.strip().str.lower().isin(TOKENS))
age_num = pd.to_numeric(age, errors='coerce')
inc = df['income'].str.strip().str.replace(r'^([+-]?)[$€£¥]\s?', r'\1', regex=True).str.replace(',', '', regex=False)
inc_num = pd.to_numeric(inc, errors='coerce')
sig = pd.to_datetime(df['signup'], format='%d/%m/%Y', errors='coerce')
bad = (age_num.isna() & age.notna()) | (inc_num.isna() & df['income'].notna()) | (sig.isna() & df['signup'].notna())
df[bad].to_csv(dst + '.rejects.csv', index=False)
df['age'] = age_num
df['income'] = inc_num
df['signup'] = sig
df = df[~bad].drop(columns=['source', 'country']).drop_duplicates()
df.to_csv(dst, index=False, date_format='%Y-%m-%d')
print(json.dumps({'seconds': time.perf_counter() - t0, 'rows': int(len(df)), 'setAside': int(bad.sum())}))
