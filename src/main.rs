fn main() {
    buurtbel_app::start();
}
