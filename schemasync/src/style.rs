//! Terminal styling through `anstyle`, decided the way cargo and clap decide it
//! (`anstream`): color on a terminal, none under `NO_COLOR` or `CLICOLOR=0`, and always
//! under `CLICOLOR_FORCE=1`.

use anstyle::{AnsiColor, Effects};

/// Whether to use ANSI colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Plain text.
    pub const PLAIN: Style = Style { color: false };

    /// Color when standard output takes it: a terminal, or `CLICOLOR_FORCE=1`; never
    /// under `NO_COLOR` or `CLICOLOR=0`.
    pub fn detect() -> Style {
        Style { color: anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never }
    }

    fn paint(self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn green(self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), text)
    }

    pub fn red(self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), text)
    }

    pub fn cyan(self, text: &str) -> String {
        self.paint(AnsiColor::Cyan.on_default(), text)
    }

    pub fn bold(self, text: &str) -> String {
        self.paint(anstyle::Style::new().effects(Effects::BOLD), text)
    }

    pub fn dim(self, text: &str) -> String {
        self.paint(anstyle::Style::new().effects(Effects::DIMMED), text)
    }
}
