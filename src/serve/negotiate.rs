//! HTTP content negotiation on the `Accept` header (RFC 9110 §12.5.1,
//! <https://www.rfc-editor.org/rfc/rfc9110#name-accept>): picks the offered media type the client
//! prefers, honouring `q` weights and `type/*` or `*/*` ranges.

/// The offer the client prefers, or `None` when it accepts none of them. A missing or empty
/// header accepts anything, so the first offer (the default) is chosen. Ties go to the earlier
/// offer, and an exact match outranks a wildcard of the same weight.
pub fn choose<'a>(accept: Option<&str>, offers: &[&'a str]) -> Option<&'a str> {
    let accept = accept.map(str::trim).filter(|a| !a.is_empty());
    let Some(accept) = accept else {
        return offers.first().copied();
    };
    let ranges: Vec<(String, f32)> = accept.split(',').filter_map(parse_range).collect();
    let mut best: Option<(&str, f32, u8)> = None;
    for &offer in offers {
        // Weight of the most specific matching range (specificity 2 exact, 1 type/*, 0 */*).
        let mut hit: Option<(f32, u8)> = None;
        for (range, q) in &ranges {
            let spec = if range == offer {
                2
            } else if range == "*/*" {
                0
            } else if let Some(t) = range.strip_suffix("/*") {
                if offer.split('/').next() == Some(t) {
                    1
                } else {
                    continue;
                }
            } else {
                continue;
            };
            if hit.is_none_or(|(_, s)| spec > s) {
                hit = Some((*q, spec));
            }
        }
        if let Some((q, spec)) = hit {
            if q > 0.0 && best.is_none_or(|(_, bq, bs)| q > bq || (q == bq && spec > bs)) {
                best = Some((offer, q, spec));
            }
        }
    }
    best.map(|(o, _, _)| o)
}

fn parse_range(item: &str) -> Option<(String, f32)> {
    let mut parts = item.split(';');
    let media = parts.next()?.trim().to_ascii_lowercase();
    if media.is_empty() || !media.contains('/') {
        return None;
    }
    let mut q = 1.0;
    for p in parts {
        if let Some((k, v)) = p.split_once('=') {
            if k.trim().eq_ignore_ascii_case("q") {
                q = v.trim().parse::<f32>().ok()?.clamp(0.0, 1.0);
            }
        }
    }
    Some((media, q))
}

#[cfg(test)]
mod tests {
    use super::choose;

    const OFFERS: &[&str] = &["application/sparql-results+json", "text/csv", "text/html"];

    #[test]
    fn default_wildcards_and_weights() {
        assert_eq!(choose(None, OFFERS), Some(OFFERS[0]));
        assert_eq!(choose(Some("*/*"), OFFERS), Some(OFFERS[0]));
        assert_eq!(choose(Some("text/*"), OFFERS), Some("text/csv"));
        assert_eq!(
            choose(Some("text/csv;q=0.5, text/html"), OFFERS),
            Some("text/html")
        );
        assert_eq!(
            choose(Some("text/csv;q=0, */*;q=0.1"), OFFERS),
            Some(OFFERS[0])
        );
        assert_eq!(choose(Some("image/png"), OFFERS), None);
        assert_eq!(
            choose(Some("text/html, */*;q=0.8"), &["text/turtle", "text/html"]),
            Some("text/html")
        );
    }
}
