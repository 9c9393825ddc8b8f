package policy

// MRZParse is reading a machine-readable zone: no police data is involved,
// so any signed-in user may.
const MRZParse Action = "mrz.parse"

func init() {
	register(map[Action]rule{
		MRZParse: func(Actor, Resource) Decision { return allow("any signed-in user may parse a machine-readable zone") },
	})
}
