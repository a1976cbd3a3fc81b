"""Numbered schema migrations. Append new ones; never edit one that has shipped.

Each migration is ``(number, description, [sql statements])``. The database records the highest number
applied in ``schema_version``; :class:`analytics.core.db.Database` applies the missing ones at start-up in
one transaction each.
"""

from __future__ import annotations

Migration = tuple[int, str, list[str]]

MIGRATIONS: list[Migration] = [
    (
        1,
        "areas, indicators, register aggregates, commodities, production, imports",
        [
            """CREATE TABLE areas (
            kode VARCHAR PRIMARY KEY,          -- Kemendagri dotted code, e.g. 35.07.10.2010
            nama VARCHAR NOT NULL,
            level VARCHAR NOT NULL CHECK (level IN ('provinsi','kabupaten','kecamatan','desa')),
            parent VARCHAR,
            is_kota BOOLEAN NOT NULL DEFAULT FALSE,  -- kota (kabupaten level) or kelurahan (desa level)
            lat DOUBLE, lon DOUBLE,                  -- official centre point
            geom BLOB,                               -- WKB, EPSG:4326
            geom_display BLOB,                       -- WKB, simplified for maps (coverage-preserving)
            geom_source VARCHAR NOT NULL DEFAULT 'approximate'
                CHECK (geom_source IN ('official','approximate')),
            geom_origin VARCHAR,                     -- how/where the geometry came from
            name_source VARCHAR                      -- where codes and names came from
        )""",
            "CREATE INDEX areas_parent ON areas(parent)",
            "CREATE INDEX areas_level ON areas(level)",
            "CREATE SEQUENCE import_seq START 1",
            """CREATE TABLE imports (
            id BIGINT PRIMARY KEY,
            ts TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            layer VARCHAR NOT NULL,      -- areas, geometry, indicators, register, production
            source VARCHAR NOT NULL,     -- e.g. 'BPS', 'DTKS', 'Data contoh (sintetis)'
            file_name VARCHAR,
            n_rows BIGINT NOT NULL,
            is_synthetic BOOLEAN NOT NULL,
            note VARCHAR
        )""",
            """CREATE TABLE indicator_defs (
            indicator VARCHAR PRIMARY KEY,
            nama_id VARCHAR NOT NULL, nama_en VARCHAR NOT NULL,
            unit VARCHAR NOT NULL,
            aggregation VARCHAR NOT NULL CHECK (aggregation IN ('sum','ratio','pop_weighted','inherit')),
            description VARCHAR
        )""",
            """CREATE TABLE indicators (
            kode VARCHAR NOT NULL,
            period INTEGER NOT NULL,
            indicator VARCHAR NOT NULL,
            value DOUBLE,
            unit VARCHAR NOT NULL,
            source VARCHAR NOT NULL,     -- sources sit side by side, never merged
            is_synthetic BOOLEAN NOT NULL,
            import_id BIGINT NOT NULL
        )""",
            "CREATE INDEX indicators_key ON indicators(indicator, period)",
            """CREATE TABLE register_agg (
            kode VARCHAR NOT NULL,       -- desa code
            period INTEGER NOT NULL,
            source VARCHAR NOT NULL,     -- DTKS, DTSEN, P3KE, Regsosek...
            desil INTEGER NOT NULL CHECK (desil BETWEEN 1 AND 10),
            sektor VARCHAR NOT NULL,
            sex_head VARCHAR NOT NULL CHECK (sex_head IN ('L','P')),
            disability BOOLEAN NOT NULL,
            households INTEGER NOT NULL,
            persons INTEGER NOT NULL,
            is_synthetic BOOLEAN NOT NULL,
            import_id BIGINT NOT NULL
        )""",
            """CREATE TABLE commodities (
            kode VARCHAR PRIMARY KEY,
            nama VARCHAR NOT NULL, nama_en VARCHAR NOT NULL,
            kategori VARCHAR NOT NULL,
            unit VARCHAR NOT NULL,
            description VARCHAR
        )""",
            """CREATE TABLE production (
            kode VARCHAR NOT NULL,
            period INTEGER NOT NULL,
            commodity VARCHAR NOT NULL,
            value DOUBLE,
            unit VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            is_synthetic BOOLEAN NOT NULL,
            import_id BIGINT NOT NULL
        )""",
        ],
    ),
    (
        2,
        "accounts and audit trail",
        [
            """CREATE TABLE users (
            username VARCHAR PRIMARY KEY,
            role VARCHAR NOT NULL CHECK (role IN ('viewer','perencana','pokja','pemantau','admin')),
            password_hash VARCHAR NOT NULL,   -- scrypt, salted
            created_at TIMESTAMP NOT NULL,
            active BOOLEAN NOT NULL DEFAULT TRUE
        )""",
            "CREATE SEQUENCE audit_seq START 1",
            """CREATE TABLE audit_log (
            id BIGINT PRIMARY KEY,
            ts TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            detail VARCHAR
        )""",
        ],
    ),
    (
        3,
        "priority shortlist, pseudonymised household register",
        [
            """CREATE TABLE priority_areas (
            kode VARCHAR PRIMARY KEY,          -- area on the planner's priority shortlist
            level VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            indicator VARCHAR, period INTEGER, value DOUBLE, source VARCHAR,  -- evidence when added
            added_by VARCHAR NOT NULL,
            added_at TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE register_households (
            pseudonym VARCHAR NOT NULL,        -- keyed HMAC-SHA256 of the NIK; the NIK is never stored
            desa_key UINTEGER NOT NULL,        -- undotted Kemendagri desa code (3507102010); UBIGINT since 14
            period INTEGER NOT NULL,
            source VARCHAR NOT NULL,
            desil UTINYINT NOT NULL CHECK (desil BETWEEN 1 AND 10),
            sektor VARCHAR NOT NULL,
            sex_head VARCHAR NOT NULL CHECK (sex_head IN ('L','P')),
            disability BOOLEAN NOT NULL,
            members UTINYINT NOT NULL,
            import_id BIGINT NOT NULL
        )""",
        ],
    ),
    (
        4,
        "commodity selection workshops (append-only weights and scores)",
        [
            "CREATE SEQUENCE ws_seq START 1",
            """CREATE TABLE ws_sessions (
            id BIGINT PRIMARY KEY,
            join_code VARCHAR NOT NULL UNIQUE,     -- short code participants type on their phones
            kabupaten VARCHAR NOT NULL,            -- area code
            held_on DATE NOT NULL,
            place VARCHAR,
            title VARCHAR NOT NULL,
            facilitator VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            show_names BOOLEAN NOT NULL DEFAULT FALSE,
            closed BOOLEAN NOT NULL DEFAULT FALSE
        )""",
            """CREATE TABLE ws_criteria (             -- the session's criteria (editable; history in audit)
            session_id BIGINT NOT NULL,
            criterion VARCHAR NOT NULL,
            nama VARCHAR NOT NULL,
            description VARCHAR,
            position INTEGER NOT NULL,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            PRIMARY KEY (session_id, criterion)
        )""",
            """CREATE TABLE ws_candidates (
            session_id BIGINT NOT NULL,
            commodity VARCHAR NOT NULL,
            PRIMARY KEY (session_id, commodity)
        )""",
            """CREATE TABLE ws_participants (
            session_id BIGINT NOT NULL,
            participant_id BIGINT NOT NULL,
            code VARCHAR NOT NULL,                 -- P01, P02 …: what others see unless names are shown
            token VARCHAR NOT NULL UNIQUE,         -- secret in the participant's page address: rejoin after a reload
            name VARCHAR NOT NULL,
            organisation VARCHAR,
            joined_at TIMESTAMP NOT NULL,
            PRIMARY KEY (session_id, participant_id)
        )""",
            """CREATE TABLE ws_weights (  -- append-only: the newest row per participant and criterion counts
            seq BIGINT NOT NULL,
            session_id BIGINT NOT NULL,
            participant_id BIGINT NOT NULL,
            criterion VARCHAR NOT NULL,
            weight INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 5),
            ts TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE ws_scores (                -- append-only: the newest row per commodity and criterion counts
            seq BIGINT NOT NULL,
            session_id BIGINT NOT NULL,
            commodity VARCHAR NOT NULL,
            criterion VARCHAR NOT NULL,
            score DOUBLE NOT NULL CHECK (score BETWEEN 1 AND 5),
            computed DOUBLE,                       -- the score computed from data, kept beside an override
            justification VARCHAR,
            source VARCHAR,
            override_reason VARCHAR,
            entered_by VARCHAR NOT NULL,
            ts TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE ws_decisions (             -- append-only: shortlist and final choice, with reasons
            seq BIGINT NOT NULL,
            session_id BIGINT NOT NULL,
            kind VARCHAR NOT NULL CHECK (kind IN ('shortlist', 'final')),
            commodities VARCHAR[] NOT NULL,
            reason VARCHAR NOT NULL,
            decided_by VARCHAR NOT NULL,
            ts TIMESTAMP NOT NULL
        )""",
        ],
    ),
    (
        5,
        "value chains: actors, flows, market system, problem tree",
        [
            "CREATE SEQUENCE vc_seq START 1",
            """CREATE TABLE vc_chains (
            id BIGINT PRIMARY KEY,
            commodity VARCHAR NOT NULL,
            kabupaten VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            is_synthetic BOOLEAN NOT NULL,
            workshop_id BIGINT,                    -- the workshop whose final choice opened this chain
            created_by VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE vc_actors (
            chain_id BIGINT NOT NULL, actor VARCHAR NOT NULL, nama VARCHAR NOT NULL,
            fungsi VARCHAR NOT NULL, jenis VARCHAR NOT NULL, jumlah DOUBLE, produksi DOUBLE,
            perempuan DOUBLE CHECK (perempuan IS NULL OR perempuan BETWEEN 0 AND 1),
            wilayah VARCHAR, catatan VARCHAR,
            PRIMARY KEY (chain_id, actor)
        )""",
            """CREATE TABLE vc_flows (
            chain_id BIGINT NOT NULL, position INTEGER NOT NULL, skenario VARCHAR NOT NULL,
            dari VARCHAR NOT NULL, ke VARCHAR NOT NULL, volume DOUBLE NOT NULL, satuan VARCHAR NOT NULL,
            harga DOUBLE NOT NULL
        )""",
            """CREATE TABLE vc_system (                -- supporting functions and rules around the core chain
            chain_id BIGINT NOT NULL, position INTEGER NOT NULL,
            lapisan VARCHAR NOT NULL CHECK (lapisan IN ('pendukung', 'aturan')),
            kategori VARCHAR NOT NULL, nama VARCHAR NOT NULL, terkait VARCHAR, catatan VARCHAR
        )""",
            """CREATE TABLE vc_problems (
            chain_id BIGINT NOT NULL, id VARCHAR NOT NULL, parent VARCHAR, teks VARCHAR NOT NULL,
            akar BOOLEAN NOT NULL DEFAULT FALSE, intervensi VARCHAR, mitra VARCHAR,
            PRIMARY KEY (chain_id, id)
        )""",
        ],
    ),
    (
        6,
        "business models: actors, before/after lines, outreach plan, budget by source",
        [
            "CREATE SEQUENCE bm_seq START 1",
            """CREATE TABLE bm_models (
            id BIGINT PRIMARY KEY,
            chain_id BIGINT,                       -- the value chain whose prices and volumes are the "before"
            commodity VARCHAR NOT NULL,
            kabupaten VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            model VARCHAR NOT NULL CHECK (model IN ('A', 'B')),
            discount_rate DOUBLE NOT NULL,
            is_synthetic BOOLEAN NOT NULL,
            created_by VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE bm_actors (
            model_id BIGINT NOT NULL, peran VARCHAR NOT NULL, nama VARCHAR NOT NULL,
            rumah_tangga DOUBLE,                   -- households the lines describe (POKMAS members)
            chain_actor VARCHAR, wilayah VARCHAR, catatan VARCHAR,
            PRIMARY KEY (model_id, peran)
        )""",
            """CREATE TABLE bm_lines (
            model_id BIGINT NOT NULL, peran VARCHAR NOT NULL, position INTEGER NOT NULL,
            skenario VARCHAR NOT NULL CHECK (skenario IN ('sebelum', 'sesudah')),
            jenis VARCHAR NOT NULL CHECK (jenis IN ('pendapatan', 'biaya_variabel', 'biaya_tetap')),
            uraian VARCHAR NOT NULL, volume DOUBLE NOT NULL CHECK (volume >= 0), satuan VARCHAR NOT NULL,
            harga DOUBLE NOT NULL CHECK (harga >= 0)
        )""",
            """CREATE TABLE bm_outreach (             -- new households reached per projection year
            model_id BIGINT NOT NULL, tahun INTEGER NOT NULL, rt_baru DOUBLE NOT NULL CHECK (rt_baru >= 0),
            PRIMARY KEY (model_id, tahun)
        )""",
            """CREATE TABLE bm_budget (               -- Lampiran 7: budget items by year (0 = investment) and source
            model_id BIGINT NOT NULL, position INTEGER NOT NULL, tahun INTEGER NOT NULL,
            sumber VARCHAR NOT NULL, uraian VARCHAR NOT NULL, nilai DOUBLE NOT NULL CHECK (nilai >= 0)
        )""",
        ],
    ),
    (
        7,
        "monitoring: results chain, indicator values, reviews, PCI, ADKAR",
        [
            "CREATE SEQUENCE mon_seq START 1",
            """CREATE TABLE rc_chains (                -- a results chain, usually for one business model
            id BIGINT PRIMARY KEY, model_id BIGINT, title VARCHAR NOT NULL, is_synthetic BOOLEAN NOT NULL,
            created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE rc_boxes (
            chain_id BIGINT NOT NULL, box VARCHAR NOT NULL, level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
            teks VARCHAR NOT NULL, menuju VARCHAR,   -- the box of the next level this one leads to
            PRIMARY KEY (chain_id, box)
        )""",
            """CREATE TABLE rc_indicators (             -- the monitoring-plan fields of the technical guideline
            chain_id BIGINT NOT NULL, ind VARCHAR NOT NULL, box VARCHAR NOT NULL, nama VARCHAR NOT NULL,
            tema VARCHAR, sumber_kelompok VARCHAR, satuan VARCHAR NOT NULL, baseline DOUBLE, target DOUBLE,
            sumber_data VARCHAR, metode VARCHAR, penanggung_jawab VARCHAR, jadwal VARCHAR,
            pilah BOOLEAN NOT NULL DEFAULT FALSE,  -- disaggregated by sex and disability
            kunci VARCHAR,                         -- rt_terjangkau / pendapatan_rt: read by the leadership page
            PRIMARY KEY (chain_id, ind)
        )""",
            """CREATE TABLE rc_values (                 -- append-only: the newest row per key counts
            seq BIGINT NOT NULL, chain_id BIGINT NOT NULL, ind VARCHAR NOT NULL, period VARCHAR NOT NULL,
            jenis VARCHAR NOT NULL CHECK (jenis IN ('target', 'realisasi')),
            pilah VARCHAR NOT NULL CHECK (pilah IN ('total', 'perempuan', 'laki_laki', 'disabilitas')),
            value DOUBLE, entered_by VARCHAR NOT NULL, ts TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE reviews (
            id BIGINT PRIMARY KEY, chain_id BIGINT NOT NULL,
            jenis VARCHAR NOT NULL CHECK (jenis IN ('bulanan', 'triwulan', 'semester', 'akhir_tahun')),
            tanggal DATE NOT NULL, agenda VARCHAR NOT NULL, temuan VARCHAR, keputusan VARCHAR NOT NULL
            CHECK (keputusan IN ('lanjut', 'sesuaikan', 'hentikan')), alasan VARCHAR, indikator VARCHAR[],
            is_synthetic BOOLEAN NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE pci_rubrics (
            id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, is_reference BOOLEAN NOT NULL,
            created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE pci_levels (                -- the text of each score level (empty = not defined)
            rubric_id BIGINT NOT NULL, indicator_no INTEGER NOT NULL, score INTEGER NOT NULL
            CHECK (score BETWEEN 0 AND 3), teks VARCHAR NOT NULL, PRIMARY KEY (rubric_id, indicator_no, score)
        )""",
            """CREATE TABLE pci_weights (
            rubric_id BIGINT NOT NULL, criterion_no INTEGER NOT NULL, weight DOUBLE NOT NULL CHECK (weight >= 0),
            PRIMARY KEY (rubric_id, criterion_no)
        )""",
            """CREATE TABLE pci_groups (                -- kelompok scored on the PCI
            id BIGINT PRIMARY KEY, nama VARCHAR NOT NULL, kabupaten VARCHAR, desa VARCHAR, model_id BIGINT,
            is_synthetic BOOLEAN NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE pci_obs (  -- append-only: the newest row per group, period, indicator counts
            seq BIGINT NOT NULL, group_id BIGINT NOT NULL, period INTEGER NOT NULL, indicator_no INTEGER NOT NULL,
            value DOUBLE, level INTEGER CHECK (level IS NULL OR level BETWEEN 0 AND 3), note VARCHAR,
            entered_by VARCHAR NOT NULL, ts TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE adkar_respondents (
            id BIGINT PRIMARY KEY, kode VARCHAR NOT NULL, nama VARCHAR, actor_group VARCHAR NOT NULL,
            kelompok VARCHAR, kabupaten VARCHAR, sex VARCHAR CHECK (sex IS NULL OR sex IN ('L', 'P')),
            disabilitas BOOLEAN NOT NULL DEFAULT FALSE, model_id BIGINT, is_synthetic BOOLEAN NOT NULL,
            created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE adkar_scores (              -- append-only
            seq BIGINT NOT NULL, respondent_id BIGINT NOT NULL, period VARCHAR NOT NULL,
            indicator_code VARCHAR NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 2), entered_by VARCHAR NOT NULL, ts TIMESTAMP NOT NULL
        )""",
            """CREATE TABLE adkar_links (               -- who helps (or holds back) whom
            seq BIGINT NOT NULL, period VARCHAR NOT NULL, dari VARCHAR NOT NULL, dari_kelompok VARCHAR,
            ke VARCHAR NOT NULL, ke_kelompok VARCHAR,
            jenis VARCHAR NOT NULL CHECK (jenis IN ('pendukung', 'penghambat')), catatan VARCHAR,
            is_synthetic BOOLEAN NOT NULL, entered_by VARCHAR NOT NULL, ts TIMESTAMP NOT NULL
        )""",
        ],
    ),
    (
        8,
        "areas.coastal: whether an area touches the sea (from the land grid when the approximate areas are built)",
        ["ALTER TABLE areas ADD COLUMN coastal BOOLEAN"],
    ),
    (
        9,
        "login attempts (for throttling: failures per user name and per client)",
        ["""CREATE TABLE login_attempts (
            ts TIMESTAMP NOT NULL, username VARCHAR NOT NULL, client VARCHAR NOT NULL, ok BOOLEAN NOT NULL
        )""", "CREATE INDEX login_attempts_ts ON login_attempts(ts)"],
    ),
    (
        10,
        "sign-in sessions (the cookie carries a signed token; the row lets sign-out and deactivation end it)",
        ["""CREATE TABLE sessions (
            token_hash VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
            expires_at TIMESTAMP NOT NULL, ended_at TIMESTAMP
        )"""],
    ),
    (
        11,
        "workshop participants a facilitator removed (a duplicate, a test) or merged into another (one person "
        "on two devices): kept for the record, left out of every count",
        ["ALTER TABLE ws_participants ADD COLUMN removed_at TIMESTAMP",
         "ALTER TABLE ws_participants ADD COLUMN merged_into BIGINT"],
    ),
    (
        12,
        "the BPS-Kemendagri crosswalk: each BPS desa code paired with a Kemendagri desa, how and how sure",
        ["""CREATE TABLE crosswalk (
            kode_bps VARCHAR PRIMARY KEY, kode_kemendagri VARCHAR NOT NULL, metode VARCHAR NOT NULL,
            keyakinan DOUBLE NOT NULL CHECK (keyakinan BETWEEN 0 AND 1), sumber VARCHAR NOT NULL,
            updated_at TIMESTAMP NOT NULL
        )"""],
    ),
    (
        13,
        "column mappings saved per source: how the last table from a source was read (which column holds "
        "which indicator, year, multiplier, unit, number style), re-applied to the next file from it",
        ["""CREATE TABLE column_mappings (
            source VARCHAR PRIMARY KEY, mapping VARCHAR NOT NULL, file VARCHAR NOT NULL,
            saved_by VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL
        )"""],
    ),
    (
        14,
        "register desa keys as UBIGINT: undotted desa codes east of Jawa (5101012001 … 9601012001) are above "
        "UINTEGER's 4,294,967,295",
        ["ALTER TABLE register_households ALTER desa_key TYPE UBIGINT"],
    ),
    (
        15,
        "business models' persistence: the percentage of each year's households still in business and of the "
        "added income they reach, by year in business (existing models get the Bappenas/INKLUSI logframe "
        "defaults: 100% then 70% in business; 50% then 100% of the gain)",
        ["""CREATE TABLE bm_persistence (
            model_id BIGINT NOT NULL, tahun_ke INTEGER NOT NULL CHECK (tahun_ke >= 1),
            bertahan DOUBLE NOT NULL CHECK (bertahan BETWEEN 0 AND 100),
            capaian DOUBLE NOT NULL CHECK (capaian BETWEEN 0 AND 100),
            PRIMARY KEY (model_id, tahun_ke)
        )""",
         "INSERT INTO bm_persistence SELECT id, 1, 100, 50 FROM bm_models",
         "INSERT INTO bm_persistence SELECT id, 2, 70, 100 FROM bm_models"],
    ),
    (
        16,
        "register sectors as productive or not, set by the planner over the Juknis APP defaults (a label, "
        "normalised, per row; the defaults themselves live in analytics.poverty.targeting)",
        ["""CREATE TABLE sector_map (
            label VARCHAR PRIMARY KEY, productive BOOLEAN NOT NULL, updated_by VARCHAR NOT NULL,
            updated_at TIMESTAMP NOT NULL
        )"""],
    ),
    (
        17,
        "programme scorecard: per results chain, which of the Bappenas/INKLUSI study's ten programme stages it "
        "has, with the evidence (the criteria themselves live in analytics.monitoring.comprehensiveness)",
        ["""CREATE TABLE programme_stages (
            chain_id BIGINT NOT NULL, criterion VARCHAR NOT NULL, met BOOLEAN NOT NULL, bukti VARCHAR,
            updated_by VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (chain_id, criterion)
        )"""],
    ),
    (
        18,
        "graduation: the households a results chain reaches, by programme code (never a NIK), with their status "
        "(miskin, rentan, menengah, stabil) and spending per person per period",
        ["""CREATE TABLE rc_households (
            chain_id BIGINT NOT NULL, kode_rt VARCHAR NOT NULL, period VARCHAR NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('miskin', 'rentan', 'menengah', 'stabil')),
            pengeluaran DOUBLE CHECK (pengeluaran IS NULL OR pengeluaran >= 0),
            PRIMARY KEY (chain_id, kode_rt, period)
        )"""],
    ),
    (
        19,
        "replication readiness per kabupaten/kota: the replication guide's expected outputs with their evidence, "
        "and budget lines by regional budget nomenclature code (the stages live in analytics.monitoring.replication)",
        ["""CREATE TABLE replication_items (
            kabupaten VARCHAR NOT NULL, item VARCHAR NOT NULL, selesai BOOLEAN NOT NULL, jenis_dokumen VARCHAR,
            nomor VARCHAR, tanggal DATE, opd VARCHAR, catatan VARCHAR,
            PRIMARY KEY (kabupaten, item)
        )""",
         """CREATE TABLE replication_budget (
            kabupaten VARCHAR NOT NULL, position INTEGER NOT NULL, kode VARCHAR, uraian VARCHAR NOT NULL,
            tahun INTEGER NOT NULL, nilai DOUBLE NOT NULL CHECK (nilai > 0), sumber VARCHAR NOT NULL,
            peruntukan VARCHAR NOT NULL CHECK (peruntukan IN ('operasional', 'intervensi')),
            PRIMARY KEY (kabupaten, position)
        )"""],
    ),
    (
        20,
        "monitoring lists as the Juknis has them: the year-end review of year one and of year two apart, with the "
        "decision 'tambah intervensi baru' (earlier year-end reviews become year-one reviews); the monitoring plan's "
        "jenis data, ukuran sampel, responden and sumber verifikasi; each box's Level Perubahan (seven levels) beside "
        "its strategy level (existing boxes get kegiatan, hasil mitra, dampak POKMAS or dampak kemiskinan by strategy "
        "level)",
        ["""CREATE TABLE reviews_v20 (
            id BIGINT PRIMARY KEY, chain_id BIGINT NOT NULL,
            jenis VARCHAR NOT NULL CHECK (jenis IN ('bulanan', 'triwulan', 'semester', 'akhir_tahun_1',
                                                   'akhir_tahun_2')),
            tanggal DATE NOT NULL, agenda VARCHAR NOT NULL, temuan VARCHAR, keputusan VARCHAR NOT NULL
            CHECK (keputusan IN ('lanjut', 'sesuaikan', 'hentikan', 'tambah')), alasan VARCHAR, indikator VARCHAR[],
            is_synthetic BOOLEAN NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL
        )""",
         """INSERT INTO reviews_v20 SELECT id, chain_id, CASE WHEN jenis = 'akhir_tahun' THEN 'akhir_tahun_1'
            ELSE jenis END, tanggal, agenda, temuan, keputusan, alasan, indikator, is_synthetic, created_by,
            created_at FROM reviews""",
         "DROP TABLE reviews",
         "ALTER TABLE reviews_v20 RENAME TO reviews",
         "ALTER TABLE rc_indicators ADD COLUMN jenis_data VARCHAR",
         "ALTER TABLE rc_indicators ADD COLUMN ukuran_sampel INTEGER",
         "ALTER TABLE rc_indicators ADD COLUMN responden VARCHAR",
         "ALTER TABLE rc_indicators ADD COLUMN sumber_verifikasi VARCHAR",
         "ALTER TABLE rc_boxes ADD COLUMN perubahan VARCHAR",
         """UPDATE rc_boxes SET perubahan = CASE level WHEN 1 THEN 'kegiatan' WHEN 2 THEN 'hasil_mitra'
            WHEN 3 THEN 'dampak_pokmas' ELSE 'dampak_kemiskinan' END"""],
    ),
    (
        21,
        "fingerprints of the secret keys the data were made with (several app servers must share them)",
        ["""CREATE TABLE key_fingerprints (
            name VARCHAR PRIMARY KEY CHECK (name IN ('pseudonym', 'sesi')),
            fingerprint VARCHAR NOT NULL,   -- HMAC of a fixed text under the key: tells keys apart, reveals nothing
            recorded_at TIMESTAMP NOT NULL
        )"""],
    ),
]

LATEST: int = max(m[0] for m in MIGRATIONS)
