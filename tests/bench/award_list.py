#!/usr/bin/env python3
"""The award list of `make bench-import` (tests/bench/import.sh), one row
generator written three ways:

  award_list.py csv FILE N TAG
      the list as the office writes it (semicolons, Vietnamese headers,
      realistic names: many products share a few common names) for
      kc-import and LOAD DATA;
  award_list.py catalogue FILE N BASE
      kc-products' bench catalogue (tests/bench/products.sh), rows from
      BASE on, the same names;
  award_list.py plain FILE N TAG
      the same rows as plain batched INSERTs (500 rows per statement,
      5 000 per transaction) into bench_award_load, the plain table LOAD
      DATA fills: the issue's "plain batched loader";
  award_list.py stage FILE N TAG F0 P0 A0 UNITS GROUPS
      the minimal program of kc-import's way: per batch of 5 000 rows,
      the rows (names folded, ids and verification codes given) loaded
      with LOAD DATA LOCAL INFILE into MEMORY staging tables, one
      INSERT ... SELECT into each of facility, product and award, and
      their ids for the undo (import_new), in one transaction, as kc-import's
      session (@kc_import_bulk); FILE is the SQL script, its data files
      FILE.N.{f,p,a}.
  award_list.py direct FILE N TAG F0 P0 A0 UNITS GROUPS
      the floor of this schema: the same data files loaded with LOAD DATA
      LOCAL INFILE straight into facility, product and award (ids and
      codes given), one transaction per batch, no staging, no
      import_change rows, no lookup: the fastest any importer can write
      these rows into these tables, their keys and triggers.
"""
import itertools
import random
import sys
import unicodedata

DISTRICTS = ['Huyện Can Lộc', 'TX Hồng Lĩnh', 'Huyện Hương Sơn', 'Huyện Đức Thọ', 'TP Hà Tĩnh',
             'Huyện Cẩm Xuyên', 'Huyện Thạch Hà', 'Huyện Nghi Xuân', 'Huyện Hương Khê',
             'Huyện Vũ Quang', 'TX Kỳ Anh', 'Huyện Kỳ Anh']
LEVELS = ['Cấp tỉnh', 'Cấp huyện', 'Khu vực', 'quốc gia']
LEVEL_CODES = ['province', 'district', 'region', 'national']
BATCH, STATEMENT = 5000, 500


# Product kinds with Zipf-like weights, as in the office's lists: the
# first few name a few percent of all products each; 'Sâm Ngọc Linh' is
# the rare one (about 1 in 20,000); the rest a long tail of syllables.
KINDS = [('Kẹo cu đơ', 40), ('Nước mắm', 32), ('Mật ong', 28), ('Bánh đa vừng', 16),
         ('Chè xanh', 14), ('Bưởi Phúc Trạch', 11), ('Rượu Nghèn', 9), ('Nón lá', 8),
         ('Tinh dầu', 7), ('Mắm ruốc', 6), ('Cam khô', 5), ('Gốm', 4), ('Mộc mỹ nghệ', 4),
         ('Dầu lạc', 3), ('Đậu phụ', 3), ('Thêu tay', 2)]
ONSET = ['b', 'ch', 'đ', 'h', 'kh', 'l', 'm', 'ng', 'nh', 'ph', 'qu', 's', 't', 'th', 'tr',
         'v', 'x']
RIME = ['ai', 'am', 'an', 'ang', 'anh', 'ao', 'ăn', 'âm', 'ên', 'ích', 'im', 'inh', 'oa',
        'oan', 'óc', 'ôi', 'ông', 'ơi', 'ơn', 'ua', 'uân', 'úc', 'ui', 'ung', 'ưa', 'ưng',
        'ước', 'ương', 'ưởi']
TAIL = [o + r for o in ONSET for r in RIME]


def product_name(rnd, i):
    """A product's name: a kind (common, rare or of the tail), two
    syllables and i."""
    r = rnd.random()
    if r < 0.00005:
        kind = 'Sâm Ngọc Linh'
    elif r < 0.6:
        kind = rnd.choices(KINDS, [k[1] for k in KINDS])[0][0]
    else:
        kind = rnd.choice(TAIL).capitalize() + ' ' + rnd.choice(TAIL)
    return f'{kind} {rnd.choice(TAIL)} {rnd.choice(TAIL)} {i}'


def rows(n, tag):
    """(i, product, facility, district index, year, level index, decision no, day, month)."""
    rnd = random.Random(tag)
    for i in range(n):
        yield (i, product_name(rnd, i), f'Cơ sở {TAIL[i // 3 % len(TAIL)].capitalize()} {tag} {i // 3}',
               i % len(DISTRICTS), 2018 + i % 7, i % 4, f'{i % 900}/QĐ-UBND', 1 + i % 28, 1 + i % 12)


def catalogue(out, n, base):
    """kc-products' bench catalogue (tests/bench/products.sh): n rows from
    row base on, their kinds as product_name's."""
    rnd = random.Random(20 + base)
    levels = ['Cấp tỉnh', 'Cấp huyện', 'Cấp khu vực', 'Cấp quốc gia']
    out.write('Dữ liệu thử tải (benchmark data)\n'
              'Tên sản phẩm,Tên cơ sở,Huyện,Năm,Cấp,Nhóm sản phẩm\n')
    for i in range(base, base + n):
        name = product_name(rnd, i)
        out.write(f'{name},Cơ sở {rnd.choice(TAIL)} {i // 3},{DISTRICTS[i % len(DISTRICTS)]},'
                  f'{2018 + rnd.randrange(7)},{rnd.choice(levels)},Nhóm {i % 6}\n')


def fold(s):
    s = unicodedata.normalize('NFD', s.lower().replace('đ', 'd'))
    return ' '.join(''.join(c for c in s if not unicodedata.combining(c)).split())


def ident(f, unit):
    """A facility's identity key as kc-import makes it (facility.c): the
    folded name and its district, so each row of the list, whose rows of
    one name lie in three districts, is a facility of its own, as in
    kc-import's run."""
    return f'name:{fold(f)}|{unit}'


def q(s):
    return "'" + s.replace('\\', '\\\\').replace("'", "\\'") + "'"


def inserts(out, table, cols, values):
    for k in range(0, len(values), STATEMENT):
        out.write(f'INSERT INTO {table} {cols} VALUES {",".join(values[k:k + STATEMENT])};\n')


def batches(out, n, tag, write):
    """write(out, rows) for each BATCH rows, each in a transaction of its own."""
    each = rows(n, tag)
    while part := list(itertools.islice(each, BATCH)):
        out.write('BEGIN;\n')
        write(out, part)
        out.write('COMMIT;\n')


def csv(out, n, tag):
    """The list in the office's own format: semicolons, Vietnamese headers."""
    out.write('Tên sản phẩm;Tên cơ sở;Huyện;Năm;Cấp;Số quyết định;Ngày quyết định;'
              'Nhóm sản phẩm\n')
    for i, prod, fac, d, year, lv, dno, day, mon in rows(n, tag):
        out.write(f'{prod};{fac};{DISTRICTS[d]};{year};{LEVELS[lv]};{dno};'
                  f'{day}/{mon}/{year};Nhóm {i % 8}\n')


def plain(out, part):
    inserts(out, 'bench_award_load', '(product, facility, district, year, level,'
            ' decision_no, decision_date, grp)',
            [f'({q(p)},{q(f)},{q(DISTRICTS[d])},{y},{q(LEVELS[lv])},{q(dno)},'
             f"'{day}/{mon}/{y}','Nhóm {i % 8}')"
             for i, p, f, d, y, lv, dno, day, mon in part])


CODE = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
STAGE = """SET @kc_import_bulk = 'bench';
SET SESSION max_heap_table_size = 67108864;
CREATE TEMPORARY TABLE bf (id BIGINT, ident VARCHAR(400), name VARCHAR(255),
  name_fold VARCHAR(255), unit_id INT) ENGINE=MEMORY;
CREATE TEMPORARY TABLE bp (id BIGINT, facility_id BIGINT, name VARCHAR(255),
  name_fold VARCHAR(255), search_fold VARCHAR(520), group_id INT, unit_id INT,
  last_year SMALLINT) ENGINE=MEMORY;
CREATE TEMPORARY TABLE ba (id BIGINT, product_id BIGINT, year SMALLINT,
  level VARCHAR(20), decision_no VARCHAR(60), decision_date DATE, unit_id INT,
  verify_code CHAR(8)) ENGINE=MEMORY;
"""
STAGE_BATCH = """BEGIN;
DELETE FROM bf; DELETE FROM bp; DELETE FROM ba;
LOAD DATA LOCAL INFILE '{f}.f' INTO TABLE bf CHARACTER SET utf8mb4;
LOAD DATA LOCAL INFILE '{f}.p' INTO TABLE bp CHARACTER SET utf8mb4;
LOAD DATA LOCAL INFILE '{f}.a' INTO TABLE ba CHARACTER SET utf8mb4;
INSERT INTO facility (id, ident, name, name_fold, unit_id, sample)
  SELECT id, ident, name, name_fold, unit_id, 0 FROM bf;
INSERT INTO product (id, facility_id, name, name_fold, name_key, search_fold,
  group_id, unit_id, last_year, sample) SELECT id, facility_id, name,
  name_fold, name_fold, search_fold, group_id, unit_id, last_year, 0 FROM bp;
INSERT INTO award (id, product_id, year, level, decision_no, decision_date,
  unit_id, verify_code) SELECT * FROM ba;
INSERT INTO import_new (import_id, tbl, first_id, ids)
  SELECT 0, 'facility', MIN(id), JSON_ARRAYAGG(id) FROM bf
  UNION ALL SELECT 0, 'product', MIN(id), JSON_ARRAYAGG(id) FROM bp
  UNION ALL SELECT 0, 'award', MIN(id), JSON_ARRAYAGG(id) FROM ba;
UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
COMMIT;
"""


DIRECT = "SET @kc_import_bulk = 'bench';\n"
DIRECT_BATCH = """BEGIN;
LOAD DATA LOCAL INFILE '{f}.f' INTO TABLE facility CHARACTER SET utf8mb4
  (id, ident, name, name_fold, unit_id);
LOAD DATA LOCAL INFILE '{f}.p' INTO TABLE product CHARACTER SET utf8mb4
  (id, facility_id, name, name_fold, search_fold, group_id, unit_id, last_year)
  SET name_key = name_fold;
LOAD DATA LOCAL INFILE '{f}.a' INTO TABLE award CHARACTER SET utf8mb4
  (id, product_id, year, level, decision_no, decision_date, unit_id, verify_code);
UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
COMMIT;
"""


def stage(out, path, n, tag, f0, p0, a0, units, groups, head=STAGE, batch=STAGE_BATCH):
    """The minimal program: head, then a batch per BATCH rows."""
    out.write(head)
    each, k, rnd = rows(n, tag), 0, random.Random(tag)
    while part := list(itertools.islice(each, BATCH)):
        base = f'{path}.{k}'
        with open(base + '.f', 'w') as fo, open(base + '.p', 'w') as po, \
                open(base + '.a', 'w') as ao:
            for i, p, f, d, y, lv, dno, day, mon in part:
                unit, group = units[d % len(units)], groups[i % len(groups)]
                fo.write(f'{f0 + i}\t{ident(f, unit)}\t{f}\t{fold(f)}\t{unit}\n')
                po.write(f'{p0 + i}\t{f0 + i}\t{p}\t{fold(p)}\t{fold(p)} {fold(f)}\t'
                         f'{group}\t{unit}\t{y}\n')
                code = ''.join(rnd.choice(CODE) for _ in range(8))
                ao.write(f'{a0 + i}\t{p0 + i}\t{y}\t{LEVEL_CODES[lv]}\t{dno}\t'
                         f'{y}-{mon:02d}-{day:02d}\t{unit}\t{code}\n')
        out.write(batch.format(f=base))
        k += 1


def main():
    mode, path, n, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with open(path, 'w') as out:
        if mode == 'csv':
            csv(out, n, tag)
        elif mode == 'catalogue':
            catalogue(out, n, int(tag))
        elif mode == 'plain':
            batches(out, n, tag, plain)
        elif mode in ('stage', 'direct'):
            stage(out, path, n, tag, *(int(x) for x in sys.argv[5:8]),
                  sys.argv[8].split(','), sys.argv[9].split(','),
                  *((DIRECT, DIRECT_BATCH) if mode == 'direct' else ()))
        else:
            sys.exit(f'award_list.py: unknown mode {mode}')

main()
