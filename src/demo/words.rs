//! Names and comments of the demo: a fictional support team and its customers.
//! Accounts use Microsoft's well-known fictitious company names.

use super::random::Random;

pub const ACCOUNTS: [&str; 40] = [
    "Contoso Logistics",
    "Adventure Works",
    "Fabrikam Retail",
    "Tailspin Toys",
    "Wide World Importers",
    "Woodgrove Bank",
    "Litware",
    "Proseware",
    "Fourth Coffee",
    "Alpine Ski House",
    "Blue Yonder Airlines",
    "City Power & Light",
    "Coho Winery",
    "Humongous Insurance",
    "Lamna Healthcare",
    "Margie's Travel",
    "Nod Publishers",
    "Southridge Video",
    "Trey Research",
    "VanArsdel",
    "Wingtip Toys",
    "Relecloud",
    "Lucerne Publishing",
    "Consolidated Messenger",
    "A. Datum",
    "Bellows College",
    "Best For You Organics",
    "Tailwind Traders",
    "Graphic Design Institute",
    "School of Fine Art",
    "Baldwin Museum of Science",
    "Munson's Pickles",
    "Northwind Traders",
    "Wingtip Partners",
    "Datum Freight",
    "Olympia Events",
    "Fabrikam Residences",
    "Contoso Pharmaceuticals",
    "Lakeshore Retail",
    "Fincher Architects",
];

pub const PHONE_AGENTS: [&str; 6] = ["Anna K.", "Jonas M.", "Priya S.", "Tomás R.", "Lena B.", "Omar H."];
pub const CHAT_AGENTS: [&str; 10] = [
    "Sofia L.",
    "Felix W.",
    "Mei C.",
    "Daniel P.",
    "Amara N.",
    "Lukas F.",
    "Ines G.",
    "Noah D.",
    "Yuki T.",
    "Elena V.",
];
pub const EMAIL_AGENTS: [&str; 8] =
    ["Mira T.", "Paul G.", "Hanna J.", "Ravi P.", "Clara S.", "Ben A.", "Zoe M.", "Karim E."];

/// What happened in one conversation, which the comment describes.
pub struct Situation<'a> {
    pub csat: u8,
    pub transfers: usize,
    pub wait_hours: f64,
    pub touchpoint: &'a str,
    pub channel: &'a str,
    pub agent: &'a str,
    /// Whether onboarding had video walkthroughs by then.
    pub videos: bool,
}

/// A comment a customer in this situation might write.
pub fn comment(rng: &mut Random, s: &Situation) -> String {
    let unhappy = s.csat <= 2;
    let happy = s.csat >= 4;
    let mut options: Vec<String> = Vec::new();
    if unhappy && s.transfers >= 2 {
        options.extend([
            format!("I was transferred {} times and had to explain my problem again every time.", s.transfers),
            "Bounced between departments — nobody owned my issue.".into(),
            "Too many handoffs. Each new person asked for the same order number.".into(),
        ]);
    }
    if unhappy && s.wait_hours >= 4.0 {
        options.extend([
            "Waited almost two days for a first reply to my email.".into(),
            "Far too slow: hours before anyone answered.".into(),
            "The wait for a first response was unacceptable for an urgent problem.".into(),
        ]);
    }
    if s.touchpoint == "onboarding" {
        if s.videos && happy {
            options.extend([
                "The setup videos made onboarding painless.".into(),
                "The walkthrough videos are excellent; our team was live in a day.".into(),
                "Short videos beat the old manual by miles. Thank you!".into(),
            ]);
        } else if !s.videos && !happy {
            options.extend([
                "The onboarding docs are long and out of date; we got stuck on step 4.".into(),
                "Hard to follow the written setup guide, we needed three calls to finish.".into(),
                "The PDF manual doesn't match what the app shows.".into(),
            ]);
        }
    }
    if s.touchpoint == "checkout" && !happy {
        options.push("Payment failed twice at checkout before support fixed it.".into());
    }
    if happy {
        options.extend([
            // An agent known by an initial ("Jonas M.") ends the sentence with its own full stop.
            format!("Quick and friendly help from {}{}", s.agent, if s.agent.ends_with('.') { "" } else { "." }),
            format!("{} walked me through everything patiently.", s.agent),
            "Solved on the first contact, thank you!".into(),
            "Clear answers, no runaround.".into(),
        ]);
        match s.channel {
            "chat" => options.push("Fast reply in chat, problem fixed in minutes.".into()),
            "phone" => options.push("Got through right away and the issue was sorted on the call.".into()),
            "whatsapp" | "messenger" => options.push("Handy to get help over messaging while on the road.".into()),
            _ => {}
        }
        match s.touchpoint {
            "sales" => options.push("The sales team answered all our questions about pricing.".into()),
            "event" => options.push("Great session at the customer meetup, learned a lot.".into()),
            _ => {}
        }
    }
    if options.is_empty() {
        options.extend([
            "OK, but it took a while.".into(),
            "Fine overall, nothing special.".into(),
            "Problem solved eventually.".into(),
            "Answer was correct but felt copy-pasted.".into(),
        ]);
    }
    let mut text = rng.pick(&options).clone();
    // A few customers leave contact details, which a public site must never show.
    if rng.chance(0.01) {
        text.push_str(if rng.chance(0.5) {
            " Call me back on +49 151 2345 6789."
        } else {
            " You can reach me at j.doe@example.com."
        });
    }
    text
}
