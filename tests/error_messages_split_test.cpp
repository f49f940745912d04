// Error messages of merge (the manifests of --split slices), asserted whole (see error_cases.hpp). Each case
// makes the two slices of `freq --split I/2` and then replaces a manifest with a damaged one.
#include "error_cases.hpp"

namespace genomap::test {
namespace {

const std::vector<std::string> kSlices = {"freq --bfile {B} --split 1/2 --out {D}/o --quiet",
                                          "freq --bfile {B} --split 2/2 --out {D}/o --quiet"};

std::string manifest(const std::string& slice, const std::string& range, const std::string& extra = "",
                     const std::string& output = ".afreq") {
  return "genomap split manifest 1\ncommand\tfreq\nslice\t" + slice + "\nkey\tk\nrange\tvariants\t" + range +
         "\n" + extra + "output\t" + output + "\n";
}

// merge over slice 1's manifest `first` and slice 2's `second`; the message names {D}/o.split1-of-2.split
// (or `file`).
ErrorCase merge_case(const std::string& name, const std::string& first, const std::string& second,
                     const std::string& message) {
  return ErrorCase{"merge_" + name,
                   "merge",
                   1,
                   "genomap merge: error: " + message,
                   {{"o.split1-of-2.split", first}, {"o.split2-of-2.split", second}},
                   kSlices};
}

const std::string kFirst = manifest("1/2", "0\t6964\t13928");
const std::string kSecond = manifest("2/2", "6964\t13928\t13928");

INSTANTIATE_TEST_SUITE_P(
    Split, ErrorMessages,
    ::testing::Values(
        merge_case(
            "not_manifest", "hello\n", kSecond,
            "{D}/o.split1-of-2.split:1: not a genomap split manifest (first line 'genomap split manifest "
            "1')"),
        merge_case("slice_form", manifest("x", "0\t6964\t13928"), kSecond,
                   "{D}/o.split1-of-2.split:3: slice 'x' is not I/N"),
        merge_case("range_order", manifest("1/2", "5\t3\t13928"), kSecond,
                   "{D}/o.split1-of-2.split:5: the range is not first <= last <= total"),
        merge_case("range_number", manifest("1/2", "0\tx\t13928"), kSecond,
                   "{D}/o.split1-of-2.split:5: range: 'x' is not a whole number"),
        merge_case("unexpected_line", manifest("1/2", "0\t6964\t13928", "bogus\n"), kSecond,
                   "{D}/o.split1-of-2.split:6: unexpected line 'bogus'"),
        merge_case("twice", manifest("1/2", "0\t6964\t13928", "command\tfreq\n"), kSecond,
                   "{D}/o.split1-of-2.split:6: 'command' given twice"),
        merge_case(
            "incomplete", "genomap split manifest 1\ncommand\tfreq\nslice\t1/2\n", kSecond,
            "{D}/o.split1-of-2.split: incomplete manifest (command, slice, key and range are required)"),
        merge_case("other_slice", manifest("2/2", "0\t6964\t13928"), kSecond,
                   "{D}/o.split1-of-2.split: the manifest says slice 2/2"),
        merge_case("gap", kFirst, manifest("2/2", "7000\t13928\t13928"),
                   "{D}/o.split2-of-2.split: its range starts at 7000 where slice 1 ended at 6964"),
        merge_case("first_item", manifest("1/2", "1\t6964\t13928"), kSecond,
                   "{D}/o.split1-of-2.split: slice 1 does not start at the first item"),
        merge_case("last_item", kFirst, manifest("2/2", "6964\t13000\t13928"),
                   "{D}/o.split2-of-2.split: the last slice does not end at the last item"),
        merge_case("smiss", kFirst, manifest("2/2", "6964\t13928\t13928", "output\t.smiss\n"),
                   ".smiss is missing from some slices' manifests"),
        merge_case("slice_output", manifest("1/2", "0\t6964\t13928", "", ".bogus"), kSecond,
                   "{D}/o.split1-of-2.bogus: cannot open the slice's output (it is listed in its manifest)"),
        ErrorCase{"merge_two_splits",
                  "merge",
                  1,
                  "genomap merge: error: slices of two splits are present ({D}/o.split1-of-2.split and "
                  "{D}/o.split1-of-3.split): remove the stale ones",
                  {{"o.split1-of-3.split", kFirst}},
                  kSlices},
        ErrorCase{"merge_no_folder",
                  "merge --out {D}/none/o",
                  1,
                  "genomap merge: error: {D}/none: cannot list the folder of --out",
                  {},
                  {},
                  true}),
    case_name);

}  // namespace
}  // namespace genomap::test
