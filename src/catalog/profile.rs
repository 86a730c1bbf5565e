//! The Apigee platform the bundles deploy to: some policies and attributes exist on one and not
//! another, so what a rule may say can depend on it.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Apigee X, Google Cloud's managed Apigee.
    X,
    /// Apigee Edge, the older platform (Private Cloud and the public cloud).
    Edge,
    /// Apigee hybrid: X's management plane, the runtime in the customer's cluster.
    Hybrid,
}

impl Profile {
    /// The names `oauthlint.toml` and `--profile` accept.
    pub const NAMES: [&'static str; 3] = ["x", "edge", "hybrid"];

    pub fn from_name(name: &str) -> Option<Profile> {
        match name {
            "x" => Some(Profile::X),
            "edge" => Some(Profile::Edge),
            "hybrid" => Some(Profile::Hybrid),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::X => "x",
            Profile::Edge => "edge",
            Profile::Hybrid => "hybrid",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for name in Profile::NAMES {
            assert_eq!(Profile::from_name(name).map(Profile::as_str), Some(name));
        }
    }
}
