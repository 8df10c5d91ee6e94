//! A headless Chromium, driven over WebDriver (chromedriver) with fantoccini: search, entity page,
//! a one-click question and a screenshot.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use super::{Server, SIGNATORIES};
use crate::util::{require_program, root};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn chromium() -> Option<&'static str> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())
}

#[tokio::test]
async fn explorer_in_headless_chromium() {
    if !require_program("chromedriver", &["--version"]) {
        return;
    }
    let server = Server::start(&root(), &["--facts", "seeds"]);
    let port = free_port();
    let driver = Driver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let profile = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=1200,1400".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    args.sort();
    let mut options = serde_json::json!({ "args": args });
    if let Some(bin) = chromium() {
        options["binary"] = bin.into();
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let webdriver = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let client = loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&webdriver)
            .await
        {
            Ok(c) => break c,
            Err(e) if started.elapsed() < Duration::from_secs(30) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => panic!("no WebDriver session: {e}"),
        }
    };
    let wait = Duration::from_secs(20);

    // Search "EFF" from the home page and open its entity page.
    client.goto(&server.url()).await.unwrap();
    client
        .find(Locator::Id("search"))
        .await
        .unwrap()
        .send_keys("EFF")
        .await
        .unwrap();
    client
        .find(Locator::Id("search-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let hit = client
        .wait()
        .at_most(wait)
        .for_element(Locator::Css("ul.hits a[href='/entity/eff']"))
        .await
        .unwrap();
    hit.click().await.unwrap();
    let h1 = client
        .wait()
        .at_most(wait)
        .for_element(Locator::Css("h1"))
        .await
        .unwrap();
    assert_eq!(h1.text().await.unwrap(), "Electronic Frontier Foundation");
    let mark = client.find(Locator::Css("blockquote mark")).await.unwrap();
    let quoted = mark.text().await.unwrap();
    assert!(
        quoted.contains("Electronic Frontier Foundation"),
        "{quoted}"
    );
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let entity_png = client.screenshot().await.unwrap();
    std::fs::write(shots.join("serve-entity.png"), entity_png).unwrap();

    // The one-click question renders its results in a table.
    client.goto(&server.url()).await.unwrap();
    client
        .find(Locator::Css("a.question[data-query='who-signed']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .at_most(wait)
        .for_element(Locator::Css("#answer[data-done] table tbody tr"))
        .await
        .unwrap();
    let mut names = Vec::new();
    for row in client
        .find_all(Locator::Css("#answer tbody tr"))
        .await
        .unwrap()
    {
        // Columns: signatory, name, document, quantity…; the coalition's row has a quantity.
        let cells = row.find_all(Locator::Css("td")).await.unwrap();
        if cells[3].text().await.unwrap().is_empty() {
            names.push(cells[1].text().await.unwrap());
        }
    }
    assert_eq!(names, SIGNATORIES);

    client
        .execute("document.getElementById('answer').scrollIntoView()", vec![])
        .await
        .unwrap();
    let png = client.screenshot().await.unwrap();
    let path = shots.join("serve-explorer.png");
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
    client.close().await.unwrap();
    drop(driver);
}
