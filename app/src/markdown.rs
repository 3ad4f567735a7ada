//! Markdown to HTML for descriptions, safely: raw HTML in the source is shown as
//! text, and links and images keep only http(s) and mailto addresses, so a
//! description imported from anywhere cannot run script in the page.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// `source` rendered as HTML that is safe to put in the page.
pub fn to_safe_html(source: &str) -> String {
    // Whether each open link or image was kept, so its end goes the same way.
    let mut open: Vec<bool> = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(source, options).filter_map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })
            if !safe_url(&dest_url) =>
        {
            open.push(false);
            None
        }
        Event::Start(link @ Tag::Link { .. }) => {
            open.push(true);
            Some(Event::Start(link))
        }
        // An image becomes a link to it: no request leaves the page on its own.
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => {
            open.push(true);
            Some(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                title,
                id: CowStr::Borrowed(""),
            }))
        }
        Event::End(TagEnd::Link | TagEnd::Image) => open
            .pop()
            .unwrap_or(false)
            .then_some(Event::End(TagEnd::Link)),
        other => Some(other),
    });
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
        || lower.starts_with('/') && !lower.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let html =
            to_safe_html("**APT28** uses [T1566](https://attack.mitre.org/techniques/T1566)");
        assert!(html.contains("<strong>APT28</strong>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://attack.mitre.org/techniques/T1566">T1566</a>"#),
            "{html}"
        );
    }

    #[test]
    fn raw_html_is_text() {
        let html = to_safe_html("<script>alert(1)</script> and <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn script_links_lose_their_address_but_keep_their_text() {
        let html = to_safe_html("[click](javascript:alert(1)) and ![x](data:image/png;base64,AA)");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("click"), "{html}");
        assert_eq!(
            html.matches("<a").count(),
            html.matches("</a>").count(),
            "{html}"
        );
    }

    #[test]
    fn images_become_links() {
        let html = to_safe_html("![diagram](https://example.org/d.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"href="https://example.org/d.png""#),
            "{html}"
        );
    }
}
