//! The tebliğ-tebellüğ sheet of one document for one office: its staff, one row each, with empty columns
//! for the date and the signature; signed on paper, then typed in with `tamim ack import`.

use crate::error::{Error, Result};
use tamim_docs::pages::{rgb, Pages, MARGIN, PAGE_W};
use tamim_store::Conn;
use tamim_store::{self as store, receipts};

pub fn render(conn: &Conn, doc: i64, org_code: &str) -> Result<Vec<u8>> {
    let h = receipts::doc_head(conn, doc)?.ok_or_else(|| Error::not_found("document", format!("#{doc}")))?;
    let org = store::orgs::get(conn, org_code)
        .map_err(|_| Error::invalid("--org", format!("org {org_code:?} does not exist")))?;
    if !receipts::sent_to_org_or_staff(conn, doc, &org.code)? {
        return Err(Error::invalid(
            "--org",
            format!(
                "document #{doc} was not sent to {} or its staff; there is nothing for them to sign",
                org.code
            ),
        ));
    }
    let mut staff = store::people::all(conn, Some(&org.code))?;
    // An office with a roster signs as its roster stood on the document's date (sicil no as the code), so
    // the rows are the people `ack sheet --signed` ticks.
    let roster: Vec<_> = store::staff::for_org(conn, org.id)?
        .into_iter()
        .filter(|m| m.joined_on.as_deref().is_none_or(|j| j <= h.tarih.as_str()))
        .filter(|m| m.left_on.as_deref().is_none_or(|l| l >= h.tarih.as_str()))
        .collect();
    if !roster.is_empty() {
        staff = roster
            .into_iter()
            .map(|m| tamim_core::person::Person {
                id: m.id,
                code: m.sicil,
                name: m.name,
                title: m.title,
                org: org.code.clone(),
                email: m.email,
            })
            .collect();
    }
    tamim_core::turkish::sort(&mut staff, |p| &p.name);

    let mut p = Pages::new(&format!("Tebliğ-tebellüğ listesi: {}", org.name))?;
    let title = "TEBLİĞ-TEBELLÜĞ LİSTESİ";
    p.text_at(
        (PAGE_W - tamim_docs::pages::width(title, 14.0, true)) / 2.0,
        p.y,
        14.0,
        true,
        title,
    );
    p.gap(26.0);
    p.line(11.0, false, &format!("Kurum: {}", org.name));
    let tarih = chrono::NaiveDate::parse_from_str(&h.tarih, "%Y-%m-%d")
        .map(tamim_core::turkish::format_dotted)
        .unwrap_or(h.tarih.clone());
    p.line(
        11.0,
        false,
        &format!(
            "Belge: Sayı {}   Tarih {}   {}",
            h.sayi.clone().unwrap_or_else(|| format!("#{doc}")),
            tarih,
            h.kind_no.clone().map(|k| format!("No {k}")).unwrap_or_default()
        ),
    );
    p.line(11.0, false, &format!("Konu: {}", h.konu));
    p.gap(4.0);
    p.para(10.0, "Yukarıda belirtilen yazıyı okudum, içeriğini öğrendim. Aşağıda adı geçen personel tarafından tebellüğ edilmiştir.");
    p.gap(6.0);
    // Columns: Sıra | Kod | Adı Soyadı | Unvanı | Tarih | İmza
    let xs = [0.0f32, 30.0, 110.0, 250.0, 360.0, 430.0, PAGE_W - 2.0 * MARGIN];
    let heads = ["Sıra", "Kod", "Adı Soyadı", "Unvanı", "Tarih", "İmza"];
    let row_h = 26.0;
    let grid = |p: &mut Pages, top: f32| {
        let y2 = top + row_h;
        p.polyline(&[(MARGIN, y2), (PAGE_W - MARGIN, y2)], 0.5, rgb(0.0, 0.0, 0.0));
        for x in xs {
            p.polyline(&[(MARGIN + x, top), (MARGIN + x, y2)], 0.5, rgb(0.0, 0.0, 0.0));
        }
    };
    let header = |p: &mut Pages| {
        let top = p.y;
        p.polyline(&[(MARGIN, top), (PAGE_W - MARGIN, top)], 0.5, rgb(0.0, 0.0, 0.0));
        for (i, h) in heads.iter().enumerate() {
            p.text_at(MARGIN + xs[i] + 3.0, top + 17.0, 10.0, true, h);
        }
        grid(p, top);
        p.y = top + row_h;
    };
    header(&mut p);
    if staff.is_empty() {
        p.gap(14.0);
        p.line(10.0, false, "Bu kurumun kayıtlı personeli yok.");
    }
    for (i, person) in staff.iter().enumerate() {
        if p.y + row_h > Pages::bottom() - 60.0 {
            p.new_page();
            header(&mut p);
        }
        let top = p.y;
        let cells = [
            (i + 1).to_string(),
            person.code.clone(),
            person.name.clone(),
            person.title.clone().unwrap_or_default(),
        ];
        for (k, c) in cells.iter().enumerate() {
            let w = xs[k + 1] - xs[k] - 6.0;
            p.text_at(
                MARGIN + xs[k] + 3.0,
                top + 17.0,
                9.5,
                false,
                &tamim_docs::pages::fit(c, 9.5, false, w),
            );
        }
        grid(&mut p, top);
        p.y = top + row_h;
    }
    p.gap(30.0);
    p.ensure(60.0);
    p.line(
        10.0,
        false,
        "Tebliğ eden:                                                            Onaylayan:",
    );
    p.line(
        10.0,
        false,
        "Adı Soyadı / İmza:                                                   Adı Soyadı / İmza:",
    );
    Ok(p.finish()?)
}
