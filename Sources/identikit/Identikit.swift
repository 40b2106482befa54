import ArgumentParser
@main struct Identikit: ParsableCommand {}
