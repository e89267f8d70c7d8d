//! Turkish alphabetical order (a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z) via one ICU4X collator.
//!
//! [`compare`] is the order; [`sort_key`] gives byte strings whose plain byte order is exactly
//! that order, so large lists (a million recipient names) can be sorted with
//! `sort_by_cached_key(|x| sort_key(..))`: each name is analysed once instead of in every
//! comparison. [`sort`] does that for you, and for names made only of letters, digits, spaces
//! and common punctuation uses an even cheaper key derived from the same collator.
//!
//! Sort keys are for sorting in memory only: ICU4X documents that they may change with a new
//! CLDR, Unicode or ICU4X version, so never store them.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::CollatorBorrowed;
use icu_locale_core::locale;

/// The process-wide Turkish collator (tertiary strength: case and accents break ties after
/// the letters themselves), built once from ICU4X's compiled data.
static COLLATOR: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    CollatorBorrowed::try_new(locale!("tr").into(), CollatorOptions::default())
        // Not input-dependent: the Turkish tailoring is compiled into icu_collator_data, so
        // this can only fail if the crate is built without its data, which every test catches.
        .expect("icu_collator's compiled data includes the Turkish collation")
});

/// Compares two strings in Turkish alphabetical order: "Büyükçekmece" < "Çatalca",
/// "Sultangazi" < "Şile", "ı" < "i"; lower case before upper case when the letters are equal.
pub fn compare(a: &str, b: &str) -> Ordering {
    COLLATOR.compare(a, b)
}

/// The collation sort key of `s`: for any `a` and `b`,
/// `sort_key(a).cmp(&sort_key(b)) == compare(a, b)`.
///
/// Building a key costs more than one comparison, so use keys when each string takes part in
/// many comparisons (sorting), not for a single `compare`.
pub fn sort_key(s: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(s.len() * 2 + 8);
    write_sort_key(s, &mut key);
    key
}

/// Appends [`sort_key`]`(s)` to `out`.
fn write_sort_key(s: &str, out: &mut Vec<u8>) {
    // Writing to a Vec<u8> cannot fail (its error type is `Infallible`).
    let Ok(()) = COLLATOR.write_sort_key_to(s, out);
}

/// Sorts `v` in Turkish alphabetical order of `key(item)` (exactly [`compare`]'s order),
/// stably: items whose keys collate equal keep their order. Each key is analysed once.
///
/// When every key is made only of Turkish and ASCII letters, digits, spaces and the
/// punctuation `. , - / ( ) ' &` — names of people and offices — a compact key built from a
/// per-character table replaces the ICU4X sort key, which is several times faster to build.
/// The table is derived from the collator itself when first used, and the tests check the
/// two keys give the same order; any other character makes the whole sort use [`sort_key`].
pub fn sort<T>(v: &mut [T], key: impl Fn(&T) -> &str) {
    if v.iter().all(|item| is_simple(key(item))) {
        sort_by_keys(v, |item, out| write_simple_key(key(item), out));
    } else {
        sort_by_keys(v, |item, out| write_sort_key(key(item), out));
    }
}

/// Like [`sort`], for keys borrowed from outside the items (e.g. indices into a table of names).
pub fn sort_by_external_key<'a, T>(v: &mut [T], key: impl Fn(&T) -> &'a str) {
    if v.iter().all(|item| is_simple(key(item))) {
        sort_by_keys(v, |item, out| write_simple_key(key(item), out));
    } else {
        sort_by_keys(v, |item, out| write_sort_key(key(item), out));
    }
}

/// Sorts `v` stably by byte keys that `write_key` appends to a buffer. All keys live end to end in one
/// buffer (a million names: one allocation, not a million), the order is found over indices, and `v`
/// is then permuted in place.
fn sort_by_keys<T>(v: &mut [T], write_key: impl Fn(&T, &mut Vec<u8>)) {
    if v.len() < 2 {
        return;
    }
    let mut keys = Vec::new();
    let mut ends = Vec::with_capacity(v.len());
    for item in v.iter() {
        write_key(item, &mut keys);
        ends.push(keys.len());
    }
    let key = |i: usize| &keys[if i == 0 { 0 } else { ends[i - 1] }..ends[i]];
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|a, b| key(*a).cmp(key(*b)));
    drop(ends);
    drop(keys);
    permute(v, order);
}

/// Puts `v[order[i]]` at position `i` for every `i`, in place, following each cycle of the permutation once.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..v.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

/// The characters the compact key covers. Each is one collation element with the common
/// secondary weight and a tertiary weight that only says upper or lower case; none takes part
/// in a contraction or expansion in the Turkish tailoring.
const SIMPLE: &str = "abcçdefgğhıijklmnoöpqrsştuüvwxyzABCÇDEFGĞHIİJKLMNOÖPQRSŞTUÜVWXYZ0123456789 .,-/()'&";

/// Primary rank (1…) of each character of [`SIMPLE`], 0 for other characters; ASCII by code,
/// the six Turkish letters in both cases listed separately.
struct SimpleTable {
    ascii: [u8; 128],
    turkish: [(char, u8); 12],
}

static SIMPLE_TABLE: LazyLock<SimpleTable> = LazyLock::new(|| {
    let mut options = CollatorOptions::default();
    options.strength = Some(Strength::Primary);
    let primary = CollatorBorrowed::try_new(locale!("tr").into(), options)
        .expect("icu_collator's compiled data includes the Turkish collation");
    let mut chars: Vec<char> = SIMPLE.chars().collect();
    let mut buf = [0u8; 4];
    let mut buf2 = [0u8; 4];
    chars.sort_by(|a, b| primary.compare(a.encode_utf8(&mut buf), b.encode_utf8(&mut buf2)));
    let mut table = SimpleTable {
        ascii: [0; 128],
        turkish: [('\0', 0); 12],
    };
    let mut rank = 0u8;
    let mut previous: Option<char> = None;
    let mut turkish = 0;
    for c in chars {
        let same = previous
            .is_some_and(|p| primary.compare(p.encode_utf8(&mut buf), c.encode_utf8(&mut buf2)) == Ordering::Equal);
        if !same {
            rank += 1;
        }
        previous = Some(c);
        if let Some(slot) = table.ascii.get_mut(c as usize) {
            *slot = rank;
        } else if let Some(slot) = table.turkish.get_mut(turkish) {
            *slot = (c, rank);
            turkish += 1;
        }
    }
    table
});

fn simple_rank(c: char) -> u8 {
    let table = &*SIMPLE_TABLE;
    match table.ascii.get(c as usize) {
        Some(&rank) => rank,
        None => table.turkish.iter().find(|(t, _)| *t == c).map_or(0, |&(_, rank)| rank),
    }
}

fn is_simple(s: &str) -> bool {
    s.chars().all(|c| simple_rank(c) != 0)
}

/// For a string of [`SIMPLE`] characters: the primary ranks, a 0, then one byte per character
/// that is 1 for upper case. Byte order of these keys is the collator's tertiary order: base
/// letters first (a shorter run of them first), then case, lower before upper.
#[cfg(test)]
fn simple_key(s: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(s.len() * 2 + 1);
    write_simple_key(s, &mut key);
    key
}

/// Appends [`simple_key`]`(s)` to `out`.
fn write_simple_key(s: &str, out: &mut Vec<u8>) {
    out.extend(s.chars().map(simple_rank));
    out.push(0);
    out.extend(s.chars().map(|c| u8::from(c.is_uppercase())));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Istanbul's 39 districts in Turkish alphabetical order, as in the project's
    /// `istanbul-ilceleri.csv` (copied here: the module reads no files).
    const ILCELER: [&str; 39] = [
        "Adalar",
        "Arnavutköy",
        "Ataşehir",
        "Avcılar",
        "Bağcılar",
        "Bahçelievler",
        "Bakırköy",
        "Başakşehir",
        "Bayrampaşa",
        "Beşiktaş",
        "Beykoz",
        "Beylikdüzü",
        "Beyoğlu",
        "Büyükçekmece",
        "Çatalca",
        "Çekmeköy",
        "Esenler",
        "Esenyurt",
        "Eyüpsultan",
        "Fatih",
        "Gaziosmanpaşa",
        "Güngören",
        "Kadıköy",
        "Kağıthane",
        "Kartal",
        "Küçükçekmece",
        "Maltepe",
        "Pendik",
        "Sancaktepe",
        "Sarıyer",
        "Silivri",
        "Sultanbeyli",
        "Sultangazi",
        "Şile",
        "Şişli",
        "Tuzla",
        "Ümraniye",
        "Üsküdar",
        "Zeytinburnu",
    ];

    /// A fixed permutation (no rand dependency): reversed, then interleaved.
    fn shuffled() -> Vec<&'static str> {
        let v: Vec<&str> = ILCELER.iter().rev().copied().collect();
        let (a, b) = v.split_at(20);
        let mut out = Vec::new();
        for i in 0..20 {
            if let Some(x) = b.get(i) {
                out.push(*x);
            }
            if let Some(x) = a.get(i) {
                out.push(*x);
            }
        }
        out
    }

    #[test]
    fn districts_sort_back_into_file_order_with_compare() {
        let mut v = shuffled();
        assert_ne!(v, ILCELER);
        v.sort_by(|a, b| compare(a, b));
        assert_eq!(v, ILCELER);
    }

    #[test]
    fn districts_sort_back_into_file_order_with_sort() {
        let mut v: Vec<String> = shuffled().into_iter().map(String::from).collect();
        sort(&mut v, |s| s.as_str());
        assert_eq!(v, ILCELER);
    }

    #[test]
    fn districts_sort_back_into_file_order_with_keys() {
        let mut v = shuffled();
        v.sort_by_cached_key(|s| sort_key(s));
        assert_eq!(v, ILCELER);
    }

    #[test]
    fn turkish_letters_sort_after_their_base_letters() {
        assert_eq!(compare("Büyükçekmece", "Çatalca"), Ordering::Less);
        assert_eq!(compare("Sultangazi", "Şile"), Ordering::Less);
        assert_eq!(compare("ı", "i"), Ordering::Less);
        assert_eq!(compare("ız", "ia"), Ordering::Less);
        assert_eq!(compare("Izmit", "İzmir"), Ordering::Less);
        assert_eq!(compare("zeytin", "çam"), Ordering::Greater);
        assert_eq!(compare("gz", "ğa"), Ordering::Less);
        assert_eq!(compare("oz", "öa"), Ordering::Less);
        assert_eq!(compare("uz", "üa"), Ordering::Less);
    }

    #[test]
    fn whole_alphabet_in_order() {
        let alphabet = "a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z";
        let letters: Vec<&str> = alphabet.split(' ').collect();
        let mut sorted = letters.clone();
        sorted.reverse();
        sort(&mut sorted, |s| s);
        assert_eq!(sorted, letters);
        let upper: Vec<String> = letters.iter().map(|l| super::super::case::upper(l)).collect();
        let mut sorted_upper = upper.clone();
        sorted_upper.reverse();
        sort(&mut sorted_upper, |s| s.as_str());
        assert_eq!(sorted_upper, upper);
    }

    #[test]
    fn case_is_only_a_tie_breaker() {
        // Letters first: "adalar" < "Arnavutköy" though 'A' < 'a' in bytes.
        assert_eq!(compare("Arnavutköy", "adalar"), Ordering::Greater);
        assert_eq!(compare("ADALAR", "arnavutköy"), Ordering::Less);
        assert_eq!(compare("ÇATALCA", "büyükçekmece"), Ordering::Greater);
        assert_eq!(compare("şile", "SULTANGAZİ"), Ordering::Greater);
        // Same letters: lower case first, but never equal.
        assert_eq!(compare("adalar", "Adalar"), Ordering::Less);
        assert_eq!(compare("Adalar", "ADALAR"), Ordering::Less);
        assert_eq!(compare("Adalar", "Adalar"), Ordering::Equal);
        assert_eq!(compare("", "a"), Ordering::Less);
        assert_eq!(compare("", ""), Ordering::Equal);
    }

    #[test]
    fn sort_is_stable_for_equal_keys() {
        let mut v = vec![("Fatih", 1), ("Adalar", 2), ("Fatih", 3), ("Adalar", 4)];
        sort(&mut v, |(name, _)| name);
        assert_eq!(v, [("Adalar", 2), ("Adalar", 4), ("Fatih", 1), ("Fatih", 3)]);
    }

    /// A deterministic stream of pseudo-random numbers (xorshift), so no rand dependency.
    fn xorshift(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    #[test]
    fn simple_key_order_equals_compare_order() {
        let alphabet: Vec<char> = SIMPLE.chars().collect();
        let mut rnd = xorshift(0x2021_1105);
        let mut words: Vec<String> = Vec::new();
        for i in 0..3000 {
            let len = (rnd() % 7) as usize;
            let mut w: String = (0..len)
                .map(|_| alphabet[(rnd() % alphabet.len() as u64) as usize])
                .collect();
            // Often extend an earlier word, or change only its case, to exercise ties.
            if i > 0 && rnd().is_multiple_of(3) {
                let base = words[(rnd() % words.len() as u64) as usize].clone();
                w = if rnd().is_multiple_of(2) {
                    format!("{base}{w}")
                } else {
                    super::super::case::upper(&base)
                };
            }
            words.push(w);
        }
        for c in &alphabet {
            words.push(c.to_string());
        }
        assert!(words.iter().all(|w| is_simple(w)));
        let mut by_compare = words.clone();
        by_compare.sort_by(|a, b| compare(a, b));
        let mut by_simple = words.clone();
        by_simple.sort_by_cached_key(|w| simple_key(w));
        assert_eq!(by_simple, by_compare);
        // And pair by pair, on a sample (equal keys must mean equal strings too).
        let sample: Vec<&String> = words.iter().step_by(7).collect();
        for a in &sample {
            for b in &sample {
                assert_eq!(simple_key(a).cmp(&simple_key(b)), compare(a, b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn sort_is_stable_and_permutes_every_item_once() {
        // Many equal names among distinct ones: equal names must keep their original order, and every
        // item must come out exactly once (the in-place permutation follows each cycle once).
        let mut rnd = xorshift(0x0081_2021);
        let pool = [
            "Şule", "şule", "Ömer", "Ayşe", "İsmail", "Iğdır", "ılık", "Çağla", "Resmî",
        ];
        for n in [0usize, 1, 2, 3, 10, 1000] {
            let mut v: Vec<(String, usize)> = (0..n)
                .map(|i| (pool[(rnd() % pool.len() as u64) as usize].to_string(), i))
                .collect();
            let mut expected = v.clone();
            expected.sort_by(|a, b| compare(&a.0, &b.0));
            sort(&mut v, |x| &x.0);
            assert_eq!(v, expected, "n = {n}");
            let names: Vec<&str> = v.iter().map(|x| x.0.as_str()).collect();
            let mut ext: Vec<usize> = (0..n).rev().collect();
            sort_by_external_key(&mut ext, |i| names[*i]);
            let mut by_compare: Vec<usize> = (0..n).rev().collect();
            by_compare.sort_by(|a, b| compare(names[*a], names[*b]));
            assert_eq!(ext, by_compare, "n = {n}");
        }
    }

    #[test]
    fn sort_falls_back_to_icu_keys_for_other_characters() {
        assert!(!is_simple("Resmî Gazete"));
        assert!(!is_simple("İstanbul\t"));
        assert!(is_simple("Adalar İlçe Kaymakamlığı Personel 123456"));
        let mut v = vec!["Resmî", "Resmi", "résumé", "Çatalca", "Büyükçekmece", "RESMİ", "ıa"];
        let mut expected = v.clone();
        expected.sort_by(|a, b| compare(a, b));
        sort(&mut v, |s| s);
        assert_eq!(v, expected);
        assert_eq!(
            v,
            ["Büyükçekmece", "Çatalca", "ıa", "Resmi", "RESMİ", "Resmî", "résumé"]
        );
    }

    #[test]
    fn sort_key_order_equals_compare_order() {
        let mut words: Vec<String> = ILCELER.iter().map(|s| s.to_string()).collect();
        for extra in [
            "",
            " ",
            "a",
            "A",
            "ı",
            "I",
            "i",
            "İ",
            "İstanbul",
            "istanbul",
            "ISTANBUL",
            "Istanbul",
            "ISPARTA",
            "ısparta",
            "Adalar İlçe Kaymakamlığı Personel 123456",
            "Adalar İlçe Kaymakamlığı Personel 12345",
            "adalar ilçe kaymakamlığı",
            "e\u{301}",
            "é",
            "Ö",
            "o\u{308}",
            "çç",
            "ÇÇ",
            "c",
            "Resmî",
            "Resmi",
            "Resmİ",
            "2021/81",
            "4516",
            "\u{0}",
            "\u{FFFD}",
            "日本",
        ] {
            words.push(extra.to_string());
            words.push(super::super::case::upper(extra));
            words.push(super::super::case::lower(extra));
        }
        let keys: Vec<Vec<u8>> = words.iter().map(|w| sort_key(w)).collect();
        for (a, ka) in words.iter().zip(&keys) {
            for (b, kb) in words.iter().zip(&keys) {
                assert_eq!(ka.cmp(kb), compare(a, b), "{a:?} vs {b:?}");
            }
        }
    }
}
