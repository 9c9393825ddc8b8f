package names

import (
	_ "embed"
	"strings"
)

//go:embed data/variants.txt
var variantsData string

//go:embed data/family.txt
var familyData string

var (
	// variantGroups maps a spelling to the ids of the groups it belongs to.
	variantGroups map[string][]int32
	// eastAsianFamily holds family names usually written first.
	eastAsianFamily map[string]bool
	// groupCount is the number of groups loaded (both tables).
	groupCount int
)

func init() {
	variantGroups = make(map[string][]int32, 4096)
	eastAsianFamily = make(map[string]bool, 256)
	var id int32
	load := func(data string, family bool) {
		for _, line := range strings.Split(data, "\n") {
			if i := strings.IndexByte(line, '#'); i >= 0 {
				line = line[:i]
			}
			words := strings.Fields(strings.ToLower(line))
			if len(words) == 0 {
				continue
			}
			if family {
				for _, w := range words {
					eastAsianFamily[w] = true
				}
			}
			// a single spelling is a group too: a known name, different
			// from the names of other groups
			id++
			seen := map[string]bool{}
			for _, w := range words {
				if seen[w] {
					continue
				}
				seen[w] = true
				variantGroups[w] = append(variantGroups[w], id)
			}
		}
	}
	load(variantsData, false)
	load(familyData, true)
	groupCount = int(id)
}

// groupsOf returns the variant groups any of the spellings belongs to.
func groupsOf(forms []string) []int32 {
	var out []int32
	for _, f := range forms {
		for _, g := range variantGroups[f] {
			dup := false
			for _, h := range out {
				if h == g {
					dup = true
					break
				}
			}
			if !dup {
				out = append(out, g)
			}
		}
	}
	return out
}

func shareGroup(a, b []int32) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
