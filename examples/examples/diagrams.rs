//! Writes the state diagram of every built-in flow, as Mermaid (`.mmd`) and Graphviz
//! (`.dot`), into a folder (default `flow-diagrams/`).
//!
//! ```text
//! cargo run -p examples --example diagrams -- [FOLDER]
//! dot -Tsvg flow-diagrams/user_srp_auth.dot > user_srp_auth.svg
//! ```

use std::path::PathBuf;

use cognito_typestate::graph::{built_in_flows, lifecycle};

fn main() -> std::io::Result<()> {
    let folder = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "flow-diagrams".into()),
    );
    std::fs::create_dir_all(&folder)?;
    for (stem, graph) in built_in_flows() {
        for (extension, text) in [("mmd", graph.mermaid()), ("dot", graph.dot())] {
            let path = folder.join(format!("{stem}.{extension}"));
            std::fs::write(&path, text)?;
            println!("{}", path.display());
        }
    }
    let path = folder.join("lifecycle.mmd");
    std::fs::write(&path, lifecycle())?;
    println!("{}", path.display());
    Ok(())
}
